// Package pdftest makes small, valid PDFs for tests: pages of a given size and rotation with
// a line of text on each, written by hand so tests depend on no PDF library.
package pdftest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
)

// Page describes one page; Rotate is 0, 90, 180 or 270.
type Page struct {
	W, H   float64
	Rotate int
	Text   string
	Lines  int // more lines of text below the first, like a page of a letter
}

// Letter is a portrait US Letter page.
func Letter(text string) Page { return Page{W: 612, H: 792, Text: text} }

// Make writes a PDF of these pages.
func Make(pages ...Page) []byte { return MakeWith("", nil, pages...) }

// MakeWith is Make with more in the catalog and more objects, numbered from 4 in order.
func MakeWith(catalog string, objects []string, pages ...Page) []byte {
	return write(catalog, objects, pages, func(stream string) string {
		return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream)
	})
}

// Bomb is a one-page PDF of a few hundred kilobytes whose page content inflates to mb
// megabytes: a decompression bomb.
func Bomb(mb int) []byte {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for range mb {
		zw.Write(chunk)
	}
	zw.Close()
	return write("", nil, []Page{Letter("Bomb")}, func(string) string {
		return fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes())
	})
}

func write(catalog string, objects []string, pages []Page, content func(stream string) string) []byte {
	var b bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	n := len(pages)
	// 1 catalog, 2 pages, 3 font, the objects, then a page and its content for each page.
	first := 4 + len(objects)
	obj("<< /Type /Catalog /Pages 2 0 R " + catalog + " >>")
	kids := ""
	for i := range pages {
		kids += fmt.Sprintf("%d 0 R ", first+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, n))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	for _, o := range objects {
		obj(o)
	}
	for i, p := range pages {
		text := p.Text
		if text == "" {
			text = fmt.Sprintf("Page %d", i+1)
		}
		stream := fmt.Sprintf("BT /F1 18 Tf 72 %.0f Td (%s) Tj ET", p.H-96, text)
		if p.Lines > 0 {
			var body strings.Builder
			fmt.Fprintf(&body, "\nBT /F1 10 Tf 72 %.0f Td 12 TL\n", p.H-120)
			for l := range p.Lines {
				fmt.Fprintf(&body, "(Line %d: the client engages the firm to prepare federal and state returns.) '\n", l+1)
			}
			stream += body.String() + "ET"
		}
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Rotate %d /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>",
			p.W, p.H, p.Rotate, first+2*i+1))
		obj(content(stream))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}
