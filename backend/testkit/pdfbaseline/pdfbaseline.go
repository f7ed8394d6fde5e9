// Package pdfbaseline does a seal's work with the libraries directly, as make bench's
// baseline for backend/seal: pdfcpu draws every value in one pass (the file read once and
// written once, with the configuration the seal uses), then pdfsign signs the result as a
// certification signature. What the seal does beyond it (the audit trail pages, keeping an
// existing form, a PAdES CMS of its own) is the seal's extra cost, not the baseline's.
package pdfbaseline

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"fmt"
	"io"
	"time"

	"github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/sign"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Stamp is one value drawn on a page (pages count from 1): a PNG scaled by Scale, or a line
// of Text in the font pdfcpu knows as Font, its lower left corner X, Y points from the
// page's lower left.
type Stamp struct {
	Page  int
	X, Y  float64
	Image []byte
	Scale float64
	Text  string
	Font  string
}

// Seal draws the stamps on doc and signs it with cert and key, writing the result to w.
func Seal(doc []byte, stamps []Stamp, cert *x509.Certificate, key crypto.Signer, w io.Writer) error {
	m := map[int][]*model.Watermark{}
	for _, s := range stamps {
		var wm *model.Watermark
		var err error
		if s.Image != nil {
			wm, err = api.ImageWatermarkForReader(bytes.NewReader(s.Image),
				fmt.Sprintf("pos:bl, off:%.1f %.1f, scale:%.3f abs, rot:0, op:1", s.X, s.Y, s.Scale), true, false, types.POINTS)
		} else {
			wm, err = api.TextWatermark(s.Text,
				fmt.Sprintf("fontname:%s, points:10, pos:bl, off:%.1f %.1f, scale:1 abs, rot:0, fillc:#000000, op:1", s.Font, s.X, s.Y), true, false, types.POINTS)
		}
		if err != nil {
			return fmt.Errorf("baseline watermark: %w", err)
		}
		m[s.Page] = append(m[s.Page], wm)
	}
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.Optimize, conf.OptimizeBeforeWriting, conf.OptimizeResourceDicts = false, false, false
	conf.Offline = true
	var drawn bytes.Buffer
	if err := api.AddWatermarksSliceMap(bytes.NewReader(doc), &drawn, m, conf); err != nil {
		return fmt.Errorf("baseline drawing: %w", err)
	}
	in := bytes.NewReader(drawn.Bytes())
	rdr, err := pdf.NewReader(in, int64(in.Len()))
	if err != nil {
		return fmt.Errorf("baseline reading: %w", err)
	}
	return sign.Sign(in, w, rdr, int64(in.Len()), sign.SignData{
		Signature: sign.SignDataSignature{
			Info:       sign.SignDataSignatureInfo{Name: cert.Subject.CommonName, Reason: "Sealed", Date: time.Now()},
			CertType:   sign.CertificationSignature,
			DocMDPPerm: sign.DoNotAllowAnyChangesPerms,
		},
		Signer:          key,
		DigestAlgorithm: crypto.SHA256,
		Certificate:     cert,
	})
}
