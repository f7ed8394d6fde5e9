package web

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"testing"
)

// The drawn signature is a data URL from the signer's browser, or from anyone posting the
// form: any string is a PNG of signature size or a refusal, never a panic or a huge image.
func FuzzDrawing(f *testing.F) {
	img := image.NewGray(image.Rect(0, 0, 200, 60))
	for x := 20; x < 180; x++ {
		img.Set(x, 30, color.Black)
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	valid := "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes())
	for _, seed := range []string{valid, "", "data:image/png;base64,", "data:image/png;base64,!!!!",
		"data:image/jpeg;base64,/9j/4AAQ", valid[:len(valid)/2]} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, dataURL string) {
		data, err := drawing(dataURL)
		if err != nil || data == nil {
			return
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width > 2000 || cfg.Height > 1000 || len(data) > maxDrawing+3 {
			t.Fatalf("accepted %d bytes, %dx%d: %v", len(data), cfg.Width, cfg.Height, err)
		}
	})
}
