// Package autostart starts the app when the user signs in to the computer: an XDG autostart
// entry on Linux, a LaunchAgent on macOS, the Run key of the registry on Windows.
package autostart

import (
	"fmt"
	"strings"
)

// App is what to start.
type App struct {
	ID   string   // reverse-DNS id, e.g. com.portico.desktop
	Name string   // shown to the user
	Exec string   // absolute path of the executable
	Args []string // e.g. --minimised
}

// desktopEntry is the Linux autostart file (freedesktop Desktop Entry spec).
func desktopEntry(a App) string {
	args := []string{quoteExec(a.Exec)}
	for _, arg := range a.Args {
		args = append(args, quoteExec(arg))
	}
	return fmt.Sprintf("[Desktop Entry]\nType=Application\nName=%s\nExec=%s\nX-GNOME-Autostart-enabled=true\nTerminal=false\n",
		a.Name, strings.Join(args, " "))
}

// quoteExec quotes an Exec argument as the Desktop Entry spec asks.
func quoteExec(s string) string {
	if !strings.ContainsAny(s, " \t\"'\\`$<>|&;*?#()") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`)
	return `"` + r.Replace(s) + `"`
}

// launchAgent is the macOS LaunchAgent property list.
func launchAgent(a App) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>` + xmlEscape(a.ID) + `</string>
	<key>ProgramArguments</key>
	<array>
`)
	for _, s := range append([]string{a.Exec}, a.Args...) {
		b.WriteString("\t\t<string>" + xmlEscape(s) + "</string>\n")
	}
	b.WriteString(`	</array>
	<key>RunAtLoad</key>
	<true/>
</dict>
</plist>
`)
	return b.String()
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// runValue is the Windows Run key value: the quoted executable and its arguments.
func runValue(a App) string {
	parts := []string{`"` + a.Exec + `"`}
	for _, arg := range a.Args {
		if strings.ContainsAny(arg, " \t") {
			arg = `"` + arg + `"`
		}
		parts = append(parts, arg)
	}
	return strings.Join(parts, " ")
}
