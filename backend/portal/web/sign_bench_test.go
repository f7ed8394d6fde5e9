package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"testing"
	"time"

	papi "portico/backend/api"
	"portico/backend/seal"
	"portico/backend/testkit/figures"
	"portico/backend/testkit/pdfbaseline"
	"portico/backend/testkit/pdftest"
)

// TestBenchSeal100Pages is a figure for make bench: a 100-page PDF with 3 signers × 3
// fields, from the last signer's post to the sealed PDF stored (blob and database, as the
// sealing worker does it); beside, in turns, the same drawing and a signature done with
// pdfcpu and pdfsign directly (pdfbaseline).
func TestBenchSeal100Pages(t *testing.T) {
	figures.Bench(t)
	p := newPortal(t)
	p.inviteClient()
	w := p.sealer(t)
	p.web.Sealing = w
	pages := make([]pdftest.Page, 100)
	for i := range pages {
		pages[i] = pdftest.Page{W: 612, H: 792, Text: fmt.Sprintf("Engagement letter, page %d", i+1), Lines: 50}
	}
	doc := pdftest.Make(pages...)
	if code := p.sendBlob(doc, ""); code != http.StatusNoContent {
		t.Fatalf("blob: %d", code)
	}
	img := image.NewNRGBA(image.Rect(0, 0, 400, 100))
	for x := 10; x < 390; x++ {
		img.Set(x, 50+(x%30)-15, color.Black)
	}
	var pngBuf bytes.Buffer
	png.Encode(&pngBuf, img)
	drawn := "data:image/png;base64," + base64.StdEncoding.EncodeToString(pngBuf.Bytes())
	signers := []papi.Recipient{{ID: "a", Name: "Ana Pérez", Email: "ana@bench.test"},
		{ID: "b", Name: "Luis Pérez", Email: "luis@bench.test"}, {ID: "c", Name: "Дмитрий Шостакович", Email: "dima@bench.test"}}
	var fields []papi.Field
	for i, r := range signers {
		page := []int{9, 49, 99}[i]
		y := 0.6 + 0.1*float64(i)
		fields = append(fields,
			papi.Field{ID: r.ID + "s", Type: papi.FieldSignature, RecipientID: r.ID, Box: papi.Box{Page: page, X: .1, Y: y, W: .35, H: .07}},
			papi.Field{ID: r.ID + "i", Type: papi.FieldInitials, RecipientID: r.ID, Box: papi.Box{Page: page - 5, X: .8, Y: .9, W: .1, H: .04}},
			papi.Field{ID: r.ID + "d", Type: papi.FieldDate, RecipientID: r.ID, Box: papi.Box{Page: page, X: .6, Y: y, W: .3, H: .04}})
	}
	sealOnce := func() time.Duration {
		id := p.sendPacket(papi.Packet{ClientID: "c1", Title: "Engagement letter", SHA256: sum(doc), Size: int64(len(doc)),
			Pages: len(pages), Recipients: signers, Fields: fields}, false)
		var last func() (int, string)
		for i, r := range signers {
			_, link := p.signPath(r.Email)
			b := p.browser()
			b.get(link)
			form := url.Values{"name": {r.Name}, "consent": {"yes"}, "signature_png": {drawn}}
			if i < len(signers)-1 {
				if code, body := b.post(link, form); code != http.StatusSeeOther {
					t.Fatalf("signing: %d %s", code, body)
				}
				continue
			}
			last = func() (int, string) { return b.post(link, form) }
		}
		start := time.Now()
		if code, body := last(); code != http.StatusSeeOther {
			t.Fatalf("the last signature: %d %s", code, body)
		}
		w.SealReady(context.Background()) // what the worker does on the handler's kick
		took := time.Since(start)
		if st := p.lastPacketState(id); st.State != papi.PacketCompleted {
			t.Fatalf("not sealed: %+v", st)
		}
		return took
	}
	sealOnce() // warm up: fonts install once per process, the firm's key is made
	cert, key, err := seal.NewCertificate("Bench CPA", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var stamps []pdfbaseline.Stamp // the same values in the same boxes, in points from the lower left
	for _, f := range fields {
		st := pdfbaseline.Stamp{Page: f.Box.Page, X: 612 * f.Box.X, Y: 792 * (1 - f.Box.Y - f.Box.H)}
		switch f.Type {
		case papi.FieldSignature:
			st.Image, st.Scale = pngBuf.Bytes(), 612*f.Box.W/400
		case papi.FieldInitials:
			st.Text, st.Font = "ДШ", "DejaVuSans"
		default:
			st.Text, st.Font = time.Now().Format("January 2, 2006"), "DejaVuSans"
		}
		stamps = append(stamps, st)
	}
	ours := figures.Figure{Name: "seal_100p_ms", Unit: "ms"}
	base := figures.Figure{Name: "seal_100p_baseline_ms", Unit: "ms"}
	ratio := figures.Figure{Name: "seal_100p_ratio", Unit: "(seal/baseline)"}
	for range 2 * figures.Runs() {
		took := sealOnce()
		start := time.Now()
		var out bytes.Buffer
		if err := pdfbaseline.Seal(doc, stamps, cert, key, &out); err != nil {
			t.Fatal(err)
		}
		b := time.Since(start)
		ours.Add(figures.Ms(took))
		base.Add(figures.Ms(b))
		ratio.Add(float64(took) / float64(b))
	}
	ours.Print()
	base.Print()
	ratio.Print()
}
