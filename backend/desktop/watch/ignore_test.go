package watch

import "testing"

func TestIgnored(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"~$report.docx", true},
		{"~$budget.xlsx", true},
		{".~lock.report.odt#", true},
		{"~WRL0001.tmp", true},
		{"~WRD0000.tmp", true},
		{"~DF1234.TMP", true},
		{"upload.tmp", true},
		{".DS_Store", true},
		{".ds_store", true},
		{"Thumbs.db", true},
		{"THUMBS.DB", true},
		{"desktop.ini", true},
		{"Desktop.ini", true},
		{"statement.pdf.part", true},
		{"statement.pdf.crdownload", true},
		{".portico-1234", true},
		{".portico-download.pdf", true},
		{"._report.pdf", true},

		{"report.docx", false},
		{"budget.xlsx", false},
		{"tmp", false},
		{"tmp.pdf", false},
		{"template.docx", false},
		{"part 1.pdf", false},
		{"$report.docx", false},
		{"~report.docx", false},
		{".lock", false},
		{".portico", false},
		{"portico-notes.txt", false},
		{"20240131", false}, // a folder named for a date, like Excel's hex temps
		{"A1B2C3D4", false},
		{"Thumbs.db.pdf", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := Ignored(tt.name); got != tt.want {
			t.Errorf("Ignored(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}
