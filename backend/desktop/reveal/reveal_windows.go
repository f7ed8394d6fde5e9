package reveal

// rundll32 opens with the associated app without a console window flashing; explorer
// /select, shows the file selected in its folder.
func openCommand(path string) []string {
	return []string{"rundll32.exe", "url.dll,FileProtocolHandler", path}
}
func showCommand(path string) []string { return []string{"explorer.exe", "/select," + path} }
