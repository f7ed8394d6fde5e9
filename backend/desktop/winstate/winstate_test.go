package winstate

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLoadSave(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		file  string // written as is; "" means no file
		saved *State // saved with Save instead
		want  State
	}{
		{"no file", "", nil, State{Width: DefaultWidth, Height: DefaultHeight}},
		{"damaged file", "{not json", nil, State{Width: DefaultWidth, Height: DefaultHeight}},
		{"round trip", "", &State{X: 40, Y: 60, Width: 1400, Height: 900, Maximised: true},
			State{X: 40, Y: 60, Width: 1400, Height: 900, Maximised: true, Known: true}},
		{"too small", `{"x":10,"y":10,"width":200,"height":100}`, nil, State{X: 10, Y: 10, Width: DefaultWidth, Height: DefaultHeight, Known: true}},
		{"off screen", `{"x":-5000,"y":-300,"width":1000,"height":700}`, nil, State{Width: 1000, Height: 700}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name, "window.json")
			switch {
			case tt.saved != nil:
				if err := Save(path, *tt.saved); err != nil {
					t.Fatal(err)
				}
			case tt.file != "":
				os.MkdirAll(filepath.Dir(path), 0o700)
				os.WriteFile(path, []byte(tt.file), 0o600)
			}
			if got := Load(path); got != tt.want {
				t.Fatalf("Load = %+v, want %+v", got, tt.want)
			}
		})
	}
}
