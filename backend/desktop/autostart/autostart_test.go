package autostart

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var app = App{ID: "com.portico.desktop", Name: "Portico", Exec: "/opt/Portico Apps/portico", Args: []string{"--minimised"}}

func TestEntries(t *testing.T) {
	tests := []struct {
		os, got string
		want    []string
	}{
		{"linux", desktopEntry(app), []string{"[Desktop Entry]", `Exec="/opt/Portico Apps/portico" --minimised`, "Type=Application"}},
		{"darwin", launchAgent(app), []string{"<string>com.portico.desktop</string>", "<string>/opt/Portico Apps/portico</string>", "<key>RunAtLoad</key>\n\t<true/>"}},
		{"windows", runValue(App{Name: "Portico", Exec: `C:\Program Files\Portico\portico.exe`, Args: []string{"--minimised"}}),
			[]string{`"C:\Program Files\Portico\portico.exe" --minimised`}},
	}
	for _, tt := range tests {
		for _, w := range tt.want {
			if !strings.Contains(tt.got, w) {
				t.Errorf("%s entry lacks %q:\n%s", tt.os, w, tt.got)
			}
		}
	}
	if q := quoteExec(`/a/$HOME "x"`); q != `"/a/\$HOME \"x\""` {
		t.Errorf("quoteExec = %s", q)
	}
}

func TestEnableDisableLinux(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG autostart")
	}
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	for _, step := range []struct {
		do   func(App) error
		want bool
	}{{Enable, true}, {Enable, true}, {Disable, false}, {Disable, false}} {
		if err := step.do(app); err != nil {
			t.Fatal(err)
		}
		on, err := Enabled(app)
		if err != nil || on != step.want {
			t.Fatalf("Enabled = %v, %v; want %v", on, err, step.want)
		}
	}
	Enable(app)
	b, err := os.ReadFile(filepath.Join(cfg, "autostart", "com.portico.desktop.desktop"))
	if err != nil || !strings.Contains(string(b), "Exec=") {
		t.Fatalf("autostart file: %q, %v", b, err)
	}
}
