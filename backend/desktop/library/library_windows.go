package library

import (
	"path/filepath"
	"strings"

	"golang.org/x/sys/windows"
)

func documentsDir() (string, error) {
	// The known folder follows OneDrive and folder redirection; %USERPROFILE%\Documents does not.
	return windows.KnownFolderPath(windows.FOLDERID_Documents, windows.KF_FLAG_DEFAULT)
}

// LongPath gives an absolute path the \\?\ prefix once it nears MAX_PATH, so deep client
// folders work without the system-wide long-path setting.
func LongPath(p string) string {
	if len(p) < 248 || strings.HasPrefix(p, `\\?\`) {
		return p
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if strings.HasPrefix(abs, `\\`) {
		return `\\?\UNC\` + abs[2:]
	}
	return `\\?\` + abs
}
