package seal

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // a drawn signature may arrive as JPEG from some browsers
	_ "image/png"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	pdffont "github.com/pdfcpu/pdfcpu/pkg/pdfcpu/font"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"portico/backend/api"
)

// ErrBadValue means a signer's value cannot be placed: an unknown field type, a box off
// the page, an image that is not one. It is a bug or a forged request, never the
// signer's doing, so the message is for the log.
var ErrBadValue = errors.New("seal: bad value")

// Limits on what a browser may send as a drawn signature: generous for a signature pad,
// small enough that a hostile image cannot exhaust memory while it is decoded.
const (
	maxImageBytes  = 2 << 20
	maxImagePixels = 4096 * 4096
	maxTextRunes   = 500
)

// Value is one field as the signer filled it in.
type Value struct {
	Box  api.Box
	Type string // one of api.Field*
	// Text is the typed signature or initials, the name, the free text, or the date as
	// it is to read.
	Text string
	// Image is a PNG (or JPEG) of a drawn signature or initials; when set it is drawn
	// instead of Text.
	Image []byte
}

func (v Value) check(pages int) error {
	switch v.Type {
	case api.FieldSignature, api.FieldInitials, api.FieldDate, api.FieldText, api.FieldName:
	default:
		return fmt.Errorf("%w: unknown field type %q", ErrBadValue, v.Type)
	}
	b := v.Box
	if b.Page < 0 || b.Page >= pages {
		return fmt.Errorf("%w: page %d of a %d-page document", ErrBadValue, b.Page+1, pages)
	}
	for _, f := range []float64{b.X, b.Y, b.W, b.H} {
		if math.IsNaN(f) || f < 0 || f > 1 {
			return fmt.Errorf("%w: box %+v is not within the page", ErrBadValue, b)
		}
	}
	const slack = 1e-6
	if b.W == 0 || b.H == 0 || b.X+b.W > 1+slack || b.Y+b.H > 1+slack {
		return fmt.Errorf("%w: box %+v is not within the page", ErrBadValue, b)
	}
	if len(v.Image) == 0 && strings.TrimSpace(v.Text) == "" {
		return fmt.Errorf("%w: %s field on page %d is empty", ErrBadValue, v.Type, b.Page+1)
	}
	if utf8.RuneCountInString(v.Text) > maxTextRunes {
		return fmt.Errorf("%w: %s field on page %d has more than %d characters", ErrBadValue, v.Type, b.Page+1, maxTextRunes)
	}
	if len(v.Image) > maxImageBytes {
		return fmt.Errorf("%w: image of %d bytes, %d at most", ErrBadValue, len(v.Image), maxImageBytes)
	}
	return nil
}

// Ink colours: signatures and initials in the dark blue of a pen, so that they stand
// apart from the printed document; other fields in black, like typed text.
const (
	inkPen   = "0.05 0.15 0.45 rg"
	inkBlack = "0 g"
)

// stamper draws values onto the pages of one pdfcpu context. It works in two steps
// because a subset font can only be made once every glyph is known: draw records the
// glyphs each page uses, finish embeds the fonts and points the pages at them.
type stamper struct {
	ctx   *model.Context
	fonts *fontSet
	// templated holds the fonts embedded as copies of their template; reuse, fonts a
	// previous revision embedded so, to point at instead of copying again.
	templated, reuse map[*metrics]types.IndirectRef
	images           map[[32]byte]imageRef
	pages            []*pageStamp
	q                *types.IndirectRef // a shared stream holding "q"
}

type imageRef struct {
	ref  types.IndirectRef
	w, h int
}

// pageStamp is what gets added to one page: a content stream and the resources it names.
type pageStamp struct {
	dict     types.Dict
	res      types.Dict          // the page's own copy of its resources
	fontRes  map[*metrics]string // resource name of each font on this page
	imageRes map[[32]byte]string // resource name of each image on this page
	newFonts map[string]*metrics // names still to be bound once fonts exist
	newXObjs map[string]types.Object
	backing  string // resource name of the backing's graphics state; "" until used
	ops      bytes.Buffer
}

func newStamper(ctx *model.Context, fonts *fontSet) *stamper {
	if ctx.UsedGIDs == nil {
		ctx.UsedGIDs = map[string]map[uint16]bool{}
	}
	return &stamper{ctx: ctx, fonts: fonts, images: map[[32]byte]imageRef{},
		templated: map[*metrics]types.IndirectRef{}, reuse: map[*metrics]types.IndirectRef{}}
}

// stampValues draws every value on its page, one pass over the pages that have any.
// It returns the fonts it embedded from templates, for the audit trail to use again.
func stampValues(ctx *model.Context, fonts *fontSet, values []Value) (map[*metrics]types.IndirectRef, error) {
	byPage := map[int][]Value{}
	for i, v := range values {
		if err := v.check(ctx.PageCount); err != nil {
			return nil, fmt.Errorf("value %d: %w", i, err)
		}
		byPage[v.Box.Page] = append(byPage[v.Box.Page], v)
	}
	pages := make([]int, 0, len(byPage))
	for p := range byPage {
		pages = append(pages, p)
	}
	sort.Ints(pages)

	s := newStamper(ctx, fonts)
	for _, p := range pages {
		d, _, attrs, err := ctx.PageDict(p+1, false)
		if err != nil {
			return nil, &docError{kind: ErrDamaged, cause: fmt.Errorf("page %d: %w", p+1, err)}
		}
		g, err := geometryOf(attrs, p)
		if err != nil {
			return nil, err
		}
		ps, err := s.page(d, attrs.Resources)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", p+1, err)
		}
		// Restore the graphics state the page's own content left (closing any q it left
		// open, against the spec but seen in the wild), then draw in display space:
		// points from the bottom-left of the page as shown.
		open := 0
		if content, err := ctx.PageContent(d, p+1); err == nil {
			open = unclosedSaves(content)
		}
		m := g.matrix()
		fmt.Fprintf(&ps.ops, "%sQ\nq %s cm\n", strings.Repeat("Q ", open), nums(m[:]...))
		pw, ph := g.size()
		for _, v := range byPage[p] {
			x, w := v.Box.X*pw, v.Box.W*pw
			h := v.Box.H * ph
			y := ph - v.Box.Y*ph - h
			if err := s.drawValue(ps, v, x, y, w, h); err != nil {
				return nil, fmt.Errorf("page %d: %w", p+1, err)
			}
		}
		ps.ops.WriteString("Q\n")
	}
	if err := s.finish(); err != nil {
		return nil, err
	}
	return s.templated, nil
}

// page prepares p for drawing: its content is wrapped in q … Q by a leading shared
// stream and the stream the stamp appends, so nothing the page leaves in the graphics
// state (a scale, a clip) bends the stamp. The page's content streams are not touched.
func (s *stamper) page(d types.Dict, inherited types.Dict) (*pageStamp, error) {
	res := types.Dict{}
	for k, v := range inherited {
		res[k] = v
	}
	ps := &pageStamp{
		dict: d, res: res,
		fontRes: map[*metrics]string{}, imageRes: map[[32]byte]string{},
		newFonts: map[string]*metrics{}, newXObjs: map[string]types.Object{},
	}
	s.pages = append(s.pages, ps)
	return ps, nil
}

func (s *stamper) subDict(ps *pageStamp, key string) (types.Dict, error) {
	o, ok := ps.res.Find(key)
	if !ok || o == nil {
		return types.Dict{}, nil
	}
	d, err := s.ctx.DereferenceDict(o)
	if err != nil {
		return nil, fmt.Errorf("resources %s: %w", key, err)
	}
	return d, nil
}

// fontName returns the resource name of m on this page, choosing one no existing font
// resource of the page uses.
func (s *stamper) fontName(ps *pageStamp, m *metrics) (string, error) {
	if n, ok := ps.fontRes[m]; ok {
		return n, nil
	}
	existing, err := s.subDict(ps, "Font")
	if err != nil {
		return "", err
	}
	n := "Seal" + strconv.Itoa(len(ps.fontRes))
	for i := len(ps.fontRes); ; i++ {
		n = "Seal" + strconv.Itoa(i)
		if _, taken := existing.Find(n); !taken {
			break
		}
	}
	ps.fontRes[m] = n
	ps.newFonts[n] = m
	return n, nil
}

func (s *stamper) imageName(ps *pageStamp, img []byte) (string, imageRef, error) {
	key := sha256.Sum256(img)
	ir, ok := s.images[key]
	if !ok {
		c, _, err := image.DecodeConfig(bytes.NewReader(img))
		if err != nil {
			return "", imageRef{}, fmt.Errorf("%w: image: %v", ErrBadValue, err)
		}
		if c.Width <= 0 || c.Height <= 0 || c.Width*c.Height > maxImagePixels {
			return "", imageRef{}, fmt.Errorf("%w: image of %dx%d pixels", ErrBadValue, c.Width, c.Height)
		}
		ref, w, h, err := model.CreateImageResource(s.ctx.XRefTable, bytes.NewReader(img))
		if err != nil {
			return "", imageRef{}, fmt.Errorf("%w: image: %v", ErrBadValue, err)
		}
		ir = imageRef{ref: *ref, w: w, h: h}
		s.images[key] = ir
	}
	if n, ok := ps.imageRes[key]; ok {
		return n, ir, nil
	}
	existing, err := s.subDict(ps, "XObject")
	if err != nil {
		return "", imageRef{}, err
	}
	var n string
	for i := len(ps.imageRes); ; i++ {
		n = "SealImg" + strconv.Itoa(i)
		if _, taken := existing.Find(n); !taken {
			break
		}
	}
	ps.imageRes[key] = n
	ps.newXObjs[n] = ir.ref
	return n, ir, nil
}

// backingOpacity is how much of the page under a stamped value the backing hides.
const backingOpacity = 0.8

// backingName returns the resource name of the backing's graphics state on this page.
func (s *stamper) backingName(ps *pageStamp) (string, error) {
	if ps.backing != "" {
		return ps.backing, nil
	}
	existing, err := s.subDict(ps, "ExtGState")
	if err != nil {
		return "", err
	}
	for i := 0; ; i++ {
		n := "SealBacking" + strconv.Itoa(i)
		if _, taken := existing.Find(n); !taken {
			ps.backing = n
			return n, nil
		}
	}
}

// drawValue draws v into the box (x, y, w, h), in display-space points. Everything is
// clipped to the box, so a long text or an odd image can never mark the page outside
// the field the firm placed.
func (s *stamper) drawValue(ps *pageStamp, v Value, x, y, w, h float64) error {
	fmt.Fprintf(&ps.ops, "q %s re W n\n", nums(x, y, w, h))
	defer ps.ops.WriteString("Q\n")
	// A light, mostly opaque backing: ink stays readable on a dark or busy page, and a
	// signature line under the box still shows faintly.
	gs, err := s.backingName(ps)
	if err != nil {
		return err
	}
	fmt.Fprintf(&ps.ops, "q /%s gs 1 1 1 rg %s re f Q\n", gs, nums(x, y, w, h))
	if len(v.Image) > 0 {
		name, ir, err := s.imageName(ps, v.Image)
		if err != nil {
			return err
		}
		// Fit the image into the box keeping its proportions, centred.
		scale := math.Min(w/float64(ir.w), h/float64(ir.h))
		iw, ih := float64(ir.w)*scale, float64(ir.h)*scale
		fmt.Fprintf(&ps.ops, "%s cm /%s Do\n", nums(iw, 0, 0, ih, x+(w-iw)/2, y+(h-ih)/2), name)
		return nil
	}
	m, ink, maxSize := s.fonts.regular, inkBlack, 24.0
	if v.Type == api.FieldSignature || v.Type == api.FieldInitials {
		m, ink, maxSize = s.fonts.oblique, inkPen, math.Inf(1)
	}
	text := strings.Join(strings.Fields(v.Text), " ") // one line: boxes hold one line
	pad := math.Min(2, w*0.04)
	size := math.Min(maxSize, 0.85*h/(m.ascent+m.descent))
	if tw := m.width(text); tw > 0 {
		size = math.Min(size, (w-2*pad)/tw)
	}
	baseline := y + (h-size*(m.ascent+m.descent))/2 + size*m.descent
	name, err := s.fontName(ps, m)
	if err != nil {
		return err
	}
	fmt.Fprintf(&ps.ops, "BT /%s %s Tf %s %s Td %s Tj ET\n", name, num(size), ink, nums(x+pad, baseline), s.glyphs(m, text))
	return nil
}

// glyphs encodes text for an Identity-H font as a hex string of glyph ids, and records
// the glyphs so the embedded subset has them. Runes the font lacks are left out.
func (s *stamper) glyphs(m *metrics, text string) string {
	used := s.ctx.UsedGIDs[m.name]
	if used == nil {
		used = map[uint16]bool{}
		s.ctx.UsedGIDs[m.name] = used
	}
	var b strings.Builder
	b.WriteByte('<')
	for _, r := range text {
		g, ok := m.gid(r)
		if !ok {
			continue
		}
		used[g] = true
		fmt.Fprintf(&b, "%04X", g)
	}
	b.WriteByte('>')
	return b.String()
}

// finish embeds the fonts (subset to the glyphs drawn), and gives every stamped page its
// new resources and content.
func (s *stamper) finish() error {
	fontRefs := map[*metrics]types.IndirectRef{}
	for _, ps := range s.pages {
		for _, m := range ps.newFonts {
			if _, ok := fontRefs[m]; ok {
				continue
			}
			ref, err := s.embed(m)
			if err != nil {
				return fmt.Errorf("embed font %s: %w", m.name, err)
			}
			fontRefs[m] = ref
		}
	}
	for _, ps := range s.pages {
		if err := s.bind(ps, fontRefs); err != nil {
			return err
		}
	}
	return nil
}

// embed adds font m to the document: a copy of its template when that has every glyph
// drawn, else a subset pdfcpu makes for this document.
func (s *stamper) embed(m *metrics) (types.IndirectRef, error) {
	t, err := template(m)
	if err != nil {
		return types.IndirectRef{}, err
	}
	if t.covers(s.ctx.UsedGIDs[m.name]) {
		delete(s.ctx.UsedGIDs, m.name)
		if ref, ok := s.reuse[m]; ok {
			return ref, nil
		}
		ref, err := t.copyInto(s.ctx.XRefTable)
		if err == nil {
			s.templated[m] = ref
		}
		return ref, err
	}
	used := cloneSet(s.ctx.UsedGIDs[m.name])
	ref, err := pdffont.EnsureFontDict(s.ctx.XRefTable, m.name, "", "", false, nil)
	if err != nil {
		return types.IndirectRef{}, err
	}
	if err := fixToUnicode(s.ctx.XRefTable, *ref, m, used); err != nil {
		return types.IndirectRef{}, err
	}
	return *ref, nil
}

func (s *stamper) bind(ps *pageStamp, fontRefs map[*metrics]types.IndirectRef) error {
	if len(ps.newFonts) > 0 {
		fonts, err := s.subDict(ps, "Font")
		if err != nil {
			return err
		}
		fonts = fonts.Clone().(types.Dict)
		for n, m := range ps.newFonts {
			fonts[n] = fontRefs[m]
		}
		ps.res["Font"] = fonts
	}
	if len(ps.newXObjs) > 0 {
		xobjs, err := s.subDict(ps, "XObject")
		if err != nil {
			return err
		}
		xobjs = xobjs.Clone().(types.Dict)
		for n, o := range ps.newXObjs {
			xobjs[n] = o
		}
		ps.res["XObject"] = xobjs
	}
	if ps.backing != "" {
		gs, err := s.subDict(ps, "ExtGState")
		if err != nil {
			return err
		}
		gs = gs.Clone().(types.Dict)
		gs[ps.backing] = types.Dict{"Type": types.Name("ExtGState"), "ca": types.Float(backingOpacity)}
		ps.res["ExtGState"] = gs
	}
	if _, ok := ps.res.Find("ProcSet"); !ok {
		ps.res["ProcSet"] = types.Array{types.Name("PDF"), types.Name("Text"), types.Name("ImageB"), types.Name("ImageC")}
	}
	ps.dict["Resources"] = ps.res

	if s.q == nil {
		ref, err := s.stream([]byte("q\n"))
		if err != nil {
			return err
		}
		s.q = ref
	}
	own, err := s.stream(ps.ops.Bytes())
	if err != nil {
		return err
	}
	contents := types.Array{*s.q}
	if o, ok := ps.dict.Find("Contents"); ok && o != nil {
		existing, err := s.contentRefs(o)
		if err != nil {
			return err
		}
		contents = append(contents, existing...)
	}
	ps.dict["Contents"] = append(contents, *own)
	return nil
}

// contentRefs returns a page's content streams as a list, whether /Contents is a stream,
// an array, or a reference to either.
func (s *stamper) contentRefs(o types.Object) (types.Array, error) {
	if ref, ok := o.(types.IndirectRef); ok {
		d, err := s.ctx.Dereference(ref)
		if err != nil {
			return nil, fmt.Errorf("page contents: %w", err)
		}
		if a, ok := d.(types.Array); ok {
			return append(types.Array(nil), a...), nil
		}
		return types.Array{ref}, nil
	}
	switch c := o.(type) {
	case types.Array:
		return append(types.Array(nil), c...), nil
	case types.StreamDict:
		ref, err := s.ctx.IndRefForNewObject(c)
		if err != nil {
			return nil, err
		}
		return types.Array{*ref}, nil
	default:
		return nil, fmt.Errorf("page contents: unexpected %T", o)
	}
}

// stream adds a content stream. It is left uncompressed: the stamp's streams are a few
// hundred bytes, and a deflate writer costs more to set up than it would save.
func (s *stamper) stream(content []byte) (*types.IndirectRef, error) {
	n := int64(len(content))
	sd := types.NewStreamDict(types.NewDict(), 0, &n, nil, nil)
	sd.Content, sd.Raw = content, content
	sd.InsertInt("Length", len(content))
	return s.ctx.IndRefForNewObject(sd)
}

func num(f float64) string {
	if math.Abs(f) < 0.0005 {
		return "0"
	}
	return strconv.FormatFloat(f, 'f', 3, 64)
}

func nums(fs ...float64) string {
	ss := make([]string, len(fs))
	for i, f := range fs {
		ss[i] = num(f)
	}
	return strings.Join(ss, " ")
}

// unclosedSaves counts the q operators content leaves without a matching Q. It tokenises
// just enough PDF content syntax to not be fooled by strings, comments and inline images.
func unclosedSaves(content []byte) int {
	depth := 0
	isDelim := func(c byte) bool {
		return strings.IndexByte(" \t\r\n\f\x00()<>[]{}/%", c) >= 0
	}
	for i := 0; i < len(content); {
		c := content[i]
		switch {
		case c == '%':
			for i < len(content) && content[i] != '\n' && content[i] != '\r' {
				i++
			}
		case c == '(':
			nest := 0
			for ; i < len(content); i++ {
				if content[i] == '\\' {
					i++
					continue
				}
				if content[i] == '(' {
					nest++
				} else if content[i] == ')' {
					if nest--; nest == 0 {
						break
					}
				}
			}
			i++
		case c == '<' && i+1 < len(content) && content[i+1] != '<':
			for i < len(content) && content[i] != '>' {
				i++
			}
			i++
		case isDelim(c):
			i++
		default:
			j := i
			for j < len(content) && !isDelim(content[j]) {
				j++
			}
			switch string(content[i:j]) {
			case "q":
				depth++
			case "Q":
				depth = max(0, depth-1)
			case "ID":
				// Inline image data runs to the EI that ends it.
				k := bytes.Index(content[j:], []byte("EI"))
				if k < 0 {
					return depth
				}
				j += k + 2
			}
			i = j
		}
	}
	return depth
}
