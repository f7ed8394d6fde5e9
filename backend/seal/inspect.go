package seal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Errors about the PDF a firm hands in. Their text is written for the firm's staff: the
// desktop shows it as is when a document is prepared.
var (
	ErrNotPDF    = errors.New("this file is not a PDF")
	ErrEncrypted = errors.New("this PDF is password-protected or encrypted: open it, save a copy without the password, and use that copy")
	// ErrProtected is an owner password alone: the file opens without one, but its author
	// forbade changing it, and sealing must add to it.
	ErrProtected = errors.New("this PDF is protected against changes by the program or person that made it (an owner password): sealing has to add to it. Print it to a new PDF, or remove the protection where it was set, and use that copy")
	ErrDamaged   = errors.New("this PDF is damaged and cannot be read: re-save or re-export it from the program that made it, and use that copy")
	ErrNoPages   = errors.New("this PDF has no pages")
	ErrTooLarge  = errors.New("this PDF expands to far more than its size when opened (over 128 MB of page content): print it to a new PDF or re-export it, and use that copy")
	// Sealing rewrites the document, which would break a signature already in it, so such a
	// file is refused when it is picked rather than failing after everyone has signed.
	ErrAlreadySigned = errors.New("this PDF is already signed or certified: sealing it would break the signature it carries. Use the document from before it was signed, or print it to a new PDF and send that")
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
func Inspect(r io.ReadSeeker) (doc Document, err error) {
	defer readerPanic(&err)
	data, err := io.ReadAll(r)
	if err != nil {
		return Document{}, fmt.Errorf("seal: read PDF: %w", err)
	}
	ctx, err := readPDF(data)
	if err != nil {
		return Document{}, err
	}
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
// readerPanic turns a panic of the PDF reader on a file it chokes on into that file's
// error: a visitor's upload must not take the portal's request, or worker, down with it.
func readerPanic(err *error) {
	if p := recover(); p != nil {
		*err = &docError{kind: ErrDamaged, cause: fmt.Errorf("the PDF reader failed on it: %v", p)}
	}
}

func readPDF(data []byte) (*model.Context, error) {
	head := data[:min(len(data), 1024)]
	if !bytes.Contains(head, []byte("%PDF-")) {
		return nil, &docError{kind: ErrNotPDF}
	}
	// pdfcpu rebuilds a lost cross-reference table from what objects it finds, so a
	// download cut short can still parse: with its last pages or images missing. Every
	// complete PDF ends with %%EOF (readers look in the last 1024 bytes).
	// Some programs and transfers pad a complete file with NUL bytes (to a block size):
	// what counts is the end before them.
	end := bytes.TrimRight(data, "\x00\t\n\r\f ")
	if !bytes.Contains(end[max(0, len(end)-1024):], []byte("%%EOF")) {
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
	// re-encrypt it, and a signature over encrypted bytes is not one: the firm should decide.
	if ctx.Encrypt != nil || ctx.E != nil {
		return nil, &docError{kind: ErrProtected}
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
	if err := checkInflation(ctx); err != nil {
		return nil, err
	}
	if why := signedBy(ctx); why != "" {
		return nil, &docError{kind: ErrAlreadySigned, cause: errors.New(why)}
	}
	stripUsageRights(ctx)
	return ctx, nil
}

// maxDecoded bounds what a document's streams other than images may inflate to, in all:
// sealing decodes page content, and a few hundred kilobytes of PDF can inflate to
// gigabytes. Real documents stay far below it (a 500-page return: tens of megabytes).
const maxDecoded = 128 << 20

// checkInflation decodes every stream that is not an image, under what is left of
// maxDecoded, and refuses the document when they would take more. Nothing decoded here
// stays in memory: the table holds stream dictionaries by value.
func checkInflation(ctx *model.Context) error {
	budget := int64(maxDecoded)
	for _, e := range ctx.Table {
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		sd, ok := e.Object.(types.StreamDict)
		if !ok || len(sd.FilterPipeline) == 0 || sd.Content != nil {
			continue
		}
		if st := sd.Subtype(); st != nil && *st == "Image" {
			continue
		}
		data, err := sd.DecodeLengthWithLimit(-1, budget)
		if errors.Is(err, filter.ErrDecodeLimitExceeded) {
			return &docError{kind: ErrTooLarge}
		}
		if err != nil {
			continue // a stream pdfcpu cannot decode is not a bomb; it is left as it is
		}
		if budget -= int64(len(data)); budget < 0 {
			return &docError{kind: ErrTooLarge}
		}
	}
	return nil
}

// signedBy says what signature the document already carries, "" for none: a certification
// (/Perms /DocMDP) or any signature or document timestamp dictionary, whether a form field
// points at it or not.
func signedBy(ctx *model.Context) string {
	usageRights := map[int]bool{}
	if perms := permsOf(ctx); perms != nil {
		if perms["DocMDP"] != nil {
			return "certified: /Perms /DocMDP"
		}
		for _, k := range []string{"UR", "UR3"} {
			if ref, ok := perms[k].(types.IndirectRef); ok {
				usageRights[ref.ObjectNumber.Value()] = true
			}
		}
	}
	for n, e := range ctx.Table {
		if e == nil || e.Free || e.Object == nil || usageRights[n] {
			continue
		}
		d, ok := e.Object.(types.Dict)
		if !ok || d["ByteRange"] == nil || d["Contents"] == nil {
			continue
		}
		kind := "signature"
		if t := d.NameEntry("Type"); t != nil && *t == "DocTimeStamp" {
			kind = "document timestamp"
		}
		return fmt.Sprintf("a %s in object %d", kind, n)
	}
	return ""
}

func permsOf(ctx *model.Context) types.Dict {
	root, err := ctx.Catalog()
	if err != nil {
		return nil
	}
	perms, err := ctx.DereferenceDict(root["Perms"])
	if err != nil {
		return nil
	}
	return perms
}

// stripUsageRights drops Adobe Reader's usage rights (/Perms /UR, /UR3). They are a
// signature by the program that made the form, not by a person, and any change to the
// file voids them; Reader then warns that the document "has been changed" and disables
// features. Without them the form works as in any viewer.
func stripUsageRights(ctx *model.Context) {
	root, err := ctx.Catalog()
	if err != nil {
		return
	}
	perms := permsOf(ctx)
	if perms == nil {
		return
	}
	delete(perms, "UR")
	delete(perms, "UR3")
	if len(perms) == 0 {
		delete(root, "Perms")
	}
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

// IsDocumentError tells whether err is about the PDF itself (damaged, encrypted, signed,
// too large): trying again with the same file fails the same way.
func IsDocumentError(err error) bool {
	var d *docError
	return errors.As(err, &d)
}
