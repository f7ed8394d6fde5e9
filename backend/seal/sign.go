package seal

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// How the seal is written.
//
// The seal is the document's last revision, an incremental update written with pdfcpu's
// increment writer: the signature dictionary with room for the CMS, an invisible signature
// field on the first page, the form with that field added to the fields it already has
// (its /DR, /DA, /NeedAppearances and /XFA stay as they are), and the catalog with
// /Perms /DocMDP naming the signature. pdfsign, which wrote this revision before, rebuilt
// the form with only its own field and wrote the catalog's strings unescaped, so fillable
// forms lost their form and a "(Annex 1\))" page label broke the file. The CMS is ours
// (cadesSignature): PAdES wants /SubFilter /ETSI.CAdES.detached and no signing-time
// attribute, which digitorus/pkcs7 always adds.
//
// The revision is written with placeholders (a ByteRange of wide numbers and /Contents of
// zeros), the byte ranges are then filled in place, padded with spaces, and the CMS over
// them goes into /Contents.

// Room reserved in /Contents, in bytes of DER, beyond the certificates and the signature
// value. A timestamp token with its TSA's certificate chain is 3–7 KB in practice.
const (
	cmsSlack      = 2048
	timestampRoom = 12 << 10
)

// wide is the ByteRange placeholder: as many digits as any real offset may need.
const wide = 9999999999

// signInfo describes the signature sign wrote.
type signInfo struct {
	byteRange   [4]int64
	timestamped bool
}

// sign appends the seal to doc and returns the sealed file.
func (s Sealer) sign(ctx context.Context, doc []byte, at time.Time) ([]byte, signInfo, error) {
	reserve := len(s.Cert.Raw) + len(s.Cert.RawIssuer) + cmsSlack
	for _, c := range s.Chain {
		reserve += len(c.Raw)
	}
	if pub, ok := s.Key.Public().(interface{ Size() int }); ok {
		reserve += pub.Size()
	} else {
		reserve += 512
	}
	if s.TSA != "" {
		reserve += timestampRoom
	}
	incr, err := sealRevision(doc, at, s.Cert.Subject.CommonName, reserve)
	if err != nil {
		return nil, signInfo{}, err
	}
	sealed := append(append(make([]byte, 0, len(doc)+len(incr)), doc...), incr...)

	// The placeholders, each exactly once in the new revision.
	placeholder := []byte(types.Array{types.Integer(0), types.Integer(wide), types.Integer(wide), types.Integer(wide)}.PDFString())
	contents := []byte("<" + strings.Repeat("0", 2*reserve) + ">")
	if bytes.Count(incr, placeholder) != 1 || bytes.Count(incr, contents) != 1 {
		return nil, signInfo{}, errors.New("seal: the signature dictionary is not as written")
	}
	at0 := len(doc) + bytes.Index(incr, contents)
	br := [4]int64{0, int64(at0), int64(at0 + len(contents)), int64(len(sealed) - at0 - len(contents))}
	filled := fmt.Sprintf("[0 %d %d %d", br[1], br[2], br[3])
	filled += strings.Repeat(" ", len(placeholder)-len(filled)-1) + "]"
	copy(sealed[len(doc)+bytes.Index(incr, placeholder):], filled)

	signed := make([]byte, 0, br[1]+br[3])
	signed = append(signed, sealed[:br[1]]...)
	signed = append(signed, sealed[br[2]:]...)
	cms, err := cadesSignature(ctx, signed, s.Cert, s.Chain, s.Key, s.timestamper())
	if err != nil {
		return nil, signInfo{}, err
	}
	if len(cms) > reserve {
		return nil, signInfo{}, fmt.Errorf("seal: the signature (%d bytes) does not fit the %d reserved", len(cms), reserve)
	}
	hex.Encode(sealed[at0+1:], cms)
	return sealed, signInfo{byteRange: br, timestamped: s.TSA != ""}, nil
}

// sealRevision writes the incremental update that holds the seal, with placeholders for
// its byte ranges and its reserve bytes of CMS.
func sealRevision(doc []byte, at time.Time, signer string, reserve int) ([]byte, error) {
	pctx, err := api.ReadContext(bytes.NewReader(doc), newConf())
	if err != nil {
		return nil, fmt.Errorf("seal: reread the document: %w", err)
	}
	if err := pctx.EnsurePageCount(); err != nil {
		return nil, fmt.Errorf("seal: the page tree: %w", err)
	}
	sig := types.Dict{
		"Type":      types.Name("Sig"),
		"Filter":    types.Name("Adobe.PPKLite"),
		"SubFilter": types.Name("ETSI.CAdES.detached"),
		"ByteRange": types.Array{types.Integer(0), types.Integer(wide), types.Integer(wide), types.Integer(wide)},
		"Contents":  types.HexLiteral(strings.Repeat("0", 2*reserve)),
		"M":         types.StringLiteral(types.DateString(at)),
		"Name":      textString(signer),
		"Reason":    textString("Sealed after all parties signed; audit trail attached"),
		// Stands in for /Reference, which pdfcpu's writer leaves out of signature
		// dictionaries: same length, swapped once written (see docMDPReference).
		"ContactInfo": types.StringLiteral(strings.Repeat("x", len(docMDPReference)-len("/ContactInfo()"))),
	}
	sigRef, err := pctx.IndRefForNewObject(sig)
	if err != nil {
		return nil, fmt.Errorf("seal: signature: %w", err)
	}
	page, pageRef, _, err := pctx.PageDict(1, false)
	if err != nil || page == nil || pageRef == nil {
		return nil, fmt.Errorf("seal: first page: %v", err)
	}
	field := types.Dict{
		"Type": types.Name("Annot"), "Subtype": types.Name("Widget"), "FT": types.Name("Sig"),
		"T": textString(fmt.Sprintf("Seal %d", at.Unix())), "V": *sigRef, "P": *pageRef,
		"Rect": types.Array{types.Integer(0), types.Integer(0), types.Integer(0), types.Integer(0)},
		"F":    types.Integer(132), // print, locked
	}
	fieldRef, err := pctx.IndRefForNewObject(field)
	if err != nil {
		return nil, fmt.Errorf("seal: signature field: %w", err)
	}
	changed := []int{sigRef.ObjectNumber.Value(), fieldRef.ObjectNumber.Value()}

	// The first page lists the field among its annotations.
	annots, err := pctx.DereferenceArray(page["Annots"])
	if err != nil {
		return nil, fmt.Errorf("seal: first page's annotations: %w", err)
	}
	page["Annots"] = append(append(types.Array(nil), annots...), *fieldRef)
	if err := replaceObject(pctx, pageRef.ObjectNumber.Value(), page); err != nil {
		return nil, err
	}
	changed = append(changed, pageRef.ObjectNumber.Value())

	// The form keeps everything it has; the field joins its fields.
	root := pctx.RootDict
	form, formNr := types.Dict{}, 0
	if o, ok := root.Find("AcroForm"); ok {
		if ref, isRef := o.(types.IndirectRef); isRef {
			formNr = ref.ObjectNumber.Value()
		}
		d, err := pctx.DereferenceDict(o)
		if err != nil {
			return nil, fmt.Errorf("seal: the form: %w", err)
		}
		if d != nil {
			form = d.Clone().(types.Dict)
		}
	}
	fields, err := pctx.DereferenceArray(form["Fields"])
	if err != nil {
		return nil, fmt.Errorf("seal: the form's fields: %w", err)
	}
	form["Fields"] = append(append(types.Array(nil), fields...), *fieldRef)
	form["SigFlags"] = types.Integer(3) // signatures exist; append only
	if formNr != 0 {
		if err := replaceObject(pctx, formNr, form); err != nil {
			return nil, err
		}
		changed = append(changed, formNr)
	} else {
		root["AcroForm"] = form
	}
	perms := types.Dict{}
	if d, err := pctx.DereferenceDict(root["Perms"]); err == nil && d != nil {
		perms = d.Clone().(types.Dict)
	}
	perms["DocMDP"] = *sigRef
	root["Perms"] = perms
	if err := replaceObject(pctx, pctx.Root.ObjectNumber.Value(), root); err != nil {
		return nil, err
	}
	changed = append(changed, pctx.Root.ObjectNumber.Value())

	pctx.Write.Increment = true
	pctx.Write.Offset = int64(len(doc))
	slices.Sort(changed)
	for _, nr := range slices.Compact(changed) {
		pctx.Write.IncrementWithObjNr(nr)
	}
	var out bytes.Buffer
	if err := api.WriteIncrement(pctx, &out); err != nil {
		return nil, fmt.Errorf("seal: write the seal: %w", err)
	}
	incr := out.Bytes()
	stand := []byte("/ContactInfo" + sig["ContactInfo"].PDFString())
	if bytes.Count(incr, stand) != 1 {
		return nil, errors.New("seal: the signature dictionary is not as written")
	}
	copy(incr[bytes.Index(incr, stand):], docMDPReference)
	return incr, nil
}

// docMDPReference makes the seal a certification signature that allows no change: a
// sealed document is final. Written over a stand-in of the same length, so no offset moves.
const docMDPReference = "/Reference[<</Type/SigRef/TransformMethod/DocMDP/TransformParams<</Type/TransformParams/P 1/V/1.2>>>>]"

// replaceObject makes d the new version of object nr.
func replaceObject(pctx *model.Context, nr int, d types.Dict) error {
	e, ok := pctx.Table[nr]
	if !ok || e == nil || e.Free {
		return fmt.Errorf("seal: object %d is not in the document", nr)
	}
	e.Object = d
	return nil
}

// textString is a PDF text string: a literal for plain ASCII, else UTF-16BE with its BOM,
// in hex, so no character needs escaping.
func textString(s string) types.Object {
	plain := true
	for _, r := range s {
		if r < 0x20 || r > 0x7e || r == '(' || r == ')' || r == '\\' {
			plain = false
			break
		}
	}
	if plain {
		return types.StringLiteral(s)
	}
	b := []byte{0xfe, 0xff}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return types.HexLiteral(hex.EncodeToString(b))
}
