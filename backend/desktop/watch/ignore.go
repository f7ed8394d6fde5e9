package watch

import "strings"

// Names that are only ever written by the system or by an application at work, never
// chosen by a user, compared in lower case.
var (
	ignoredNames = []string{
		".ds_store",   // macOS Finder
		"thumbs.db",   // Windows Explorer thumbnails
		"desktop.ini", // Windows Explorer folder settings
	}
	ignoredPrefixes = []string{
		"~$",        // Office owner files: ~$report.docx while report.docx is open
		".~lock",    // LibreOffice lock files: .~lock.report.odt#
		"._",        // AppleDouble: macOS writes ._name beside name on SMB shares and FAT/exFAT disks
		".portico-", // our own temporary files
	}
	ignoredSuffixes = []string{
		".tmp",        // Word and Excel save temps (~WRL0001.tmp, ~WRD0000.tmp) and most others
		".part",       // Firefox and many other downloaders, while downloading
		".crdownload", // Chrome and Edge, while downloading
	}
)

// Ignored reports whether the watcher never reports a file or directory with this base
// name: temporary, lock and system files. Only the base name matters, so such a name is
// ignored at any depth.
//
// The comparison ignores case on every OS, not only where the file system does: the same
// library is reached from Windows, macOS and Linux (shares, sync tools), and a rule that
// depended on the machine would make one file ignored on one desk and not on the next.
//
// Excel's 8-hex-digit save temps (such as 3A4F1B20, no extension) are deliberately not
// ignored: a folder named for a date like 20240131 looks the same. They live for
// moments, and the consumer's re-check finds them gone.
func Ignored(name string) bool {
	n := strings.ToLower(name)
	for _, s := range ignoredNames {
		if n == s {
			return true
		}
	}
	for _, p := range ignoredPrefixes {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	for _, s := range ignoredSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}
