package reveal

func openCommand(path string) []string { return []string{"open", path} }
func showCommand(path string) []string { return []string{"open", "-R", path} }
