package seal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Errors about the PDF a firm hands in. Their text is written for the firm's staff: the
// desktop shows it as is when a document is prepared.
var (
	ErrNotPDF    = errors.New("this file is not a PDF")
	ErrEncrypted = errors.New("this PDF is password-protected or encrypted: open it, save a copy without the password, and use that copy")
	ErrDamaged   = errors.New("this PDF is damaged and cannot be read: re-save or re-export it from the program that made it, and use that copy")
	ErrNoPages   = errors.New("this PDF has no pages")
)

// docError carries one of the errors above for the staff and the technical cause for the
// log; errors.Is finds both.
type docError struct {
	kind, cause error
}

func (e *docError) Error() string {
	if e.cause == nil {
		return e.kind.Error()
	}
	return e.kind.Error() + " (" + e.cause.Error() + ")"
}

func (e *docError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

// Document is what preparation needs to know of a PDF.
type Document struct {
	Pages []Page
}

// Page is a page's size in points as a viewer displays it: the CropBox, with width and
// height swapped for /Rotate 90 and 270. api.Box fractions are relative to this.
type Page struct {
	W, H float64
}

// Inspect checks that r is a PDF that Seal can stamp and sign later, and returns each
// page's displayed size. It reads the whole file.
func Inspect(r io.ReadSeeker) (Document, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Document{}, fmt.Errorf("seal: read PDF: %w", err)
	}
	ctx, err := readPDF(data)
	if err != nil {
		return Document{}, err
	}
	var doc Document
	for i := 0; i < ctx.PageCount; i++ {
		g, err := pageGeometry(ctx, i)
		if err != nil {
			return Document{}, err
		}
		w, h := g.size()
		doc.Pages = append(doc.Pages, Page{W: w, H: h})
	}
	return doc, nil
}

// readPDF parses and validates data with pdfcpu, turning its failures into the typed
// errors above.
func readPDF(data []byte) (*model.Context, error) {
	head := data[:min(len(data), 1024)]
	if !bytes.Contains(head, []byte("%PDF-")) {
		return nil, &docError{kind: ErrNotPDF}
	}
	// pdfcpu rebuilds a lost cross-reference table from what objects it finds, so a
	// download cut short can still parse: with its last pages or images missing. Every
	// complete PDF ends with %%EOF (readers look in the last 1024 bytes).
	if !bytes.Contains(data[max(0, len(data)-1024):], []byte("%%EOF")) {
		return nil, &docError{kind: ErrDamaged, cause: errors.New("the file is cut short: no %EOF at its end")}
	}
	ctx, err := api.ReadContext(bytes.NewReader(data), newConf())
	if err != nil {
		if looksEncrypted(err) {
			return nil, &docError{kind: ErrEncrypted, cause: err}
		}
		return nil, &docError{kind: ErrDamaged, cause: err}
	}
	// A PDF with only an owner password opens without asking, but stamping would have to
	// re-encrypt it and pdfsign cannot sign encrypted files: the firm should decide.
	if ctx.Encrypt != nil || ctx.E != nil {
		return nil, &docError{kind: ErrEncrypted}
	}
	if err := api.ValidateContext(ctx); err != nil {
		if looksEncrypted(err) {
			return nil, &docError{kind: ErrEncrypted, cause: err}
		}
		return nil, &docError{kind: ErrDamaged, cause: err}
	}
	if ctx.PageCount == 0 {
		return nil, &docError{kind: ErrNoPages}
	}
	return ctx, nil
}

func looksEncrypted(err error) bool {
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "password") || strings.Contains(s, "encrypt") || strings.Contains(s, "decrypt")
}

// geometry is where a page's displayed area lies in its default user space.
type geometry struct {
	llx, lly, urx, ury float64 // the effective CropBox
	rot                int     // 0, 90, 180 or 270, clockwise as /Rotate says
}

func pageGeometry(ctx *model.Context, page int) (geometry, error) {
	_, _, attrs, err := ctx.PageDict(page+1, false)
	if err != nil {
		return geometry{}, &docError{kind: ErrDamaged, cause: fmt.Errorf("page %d: %w", page+1, err)}
	}
	return geometryOf(attrs, page)
}

func geometryOf(attrs *model.InheritedPageAttrs, page int) (geometry, error) {
	box := attrs.MediaBox
	if box == nil {
		// Required by the spec, but viewers fall back to Letter and so do we.
		box = types.NewRectangle(0, 0, 612, 792)
	}
	g := geometry{
		llx: math.Min(box.LL.X, box.UR.X), lly: math.Min(box.LL.Y, box.UR.Y),
		urx: math.Max(box.LL.X, box.UR.X), ury: math.Max(box.LL.Y, box.UR.Y),
	}
	if c := attrs.CropBox; c != nil {
		// The displayed area is the CropBox clipped to the MediaBox.
		g.llx = math.Max(g.llx, math.Min(c.LL.X, c.UR.X))
		g.lly = math.Max(g.lly, math.Min(c.LL.Y, c.UR.Y))
		g.urx = math.Min(g.urx, math.Max(c.LL.X, c.UR.X))
		g.ury = math.Min(g.ury, math.Max(c.LL.Y, c.UR.Y))
	}
	if g.urx-g.llx < 1 || g.ury-g.lly < 1 {
		return geometry{}, &docError{kind: ErrDamaged, cause: fmt.Errorf("page %d has no visible area", page+1)}
	}
	g.rot = ((attrs.Rotate % 360) + 360) % 360
	if g.rot%90 != 0 {
		return geometry{}, &docError{kind: ErrDamaged, cause: fmt.Errorf("page %d: /Rotate %d is not a multiple of 90", page+1, attrs.Rotate)}
	}
	return g, nil
}

// size is the displayed width and height in points.
func (g geometry) size() (w, h float64) {
	w, h = g.urx-g.llx, g.ury-g.lly
	if g.rot == 90 || g.rot == 270 {
		w, h = h, w
	}
	return w, h
}

// matrix maps display space (points from the bottom-left corner of the page as shown,
// x right, y up) to the page's default user space, for a "cm" operator. /Rotate turns
// the page clockwise when shown, so e.g. for 90 the shown bottom-left corner is the
// CropBox's bottom-right one and shown x runs along user y.
func (g geometry) matrix() [6]float64 {
	switch g.rot {
	case 90:
		return [6]float64{0, 1, -1, 0, g.urx, g.lly}
	case 180:
		return [6]float64{-1, 0, 0, -1, g.urx, g.ury}
	case 270:
		return [6]float64{0, -1, 1, 0, g.llx, g.ury}
	default:
		return [6]float64{1, 0, 0, 1, g.llx, g.lly}
	}
}
