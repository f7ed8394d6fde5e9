package seal

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"sync"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	pdffont "github.com/pdfcpu/pdfcpu/pkg/pdfcpu/font"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Embedding a subset font is most of the cost of a seal: pdfcpu rereads the whole font,
// cuts it down and compresses it, for every document. Names, dates and the audit trail
// almost always stay within a few alphabets, so each font is embedded once per process
// as a template covering those alphabets, and a seal copies the finished objects (the
// compressed font program included) into its document. Text with a glyph outside the
// template (Hebrew, Armenian…) falls back to a subset made for that document.
var commonRanges = [][2]rune{
	{0x0020, 0x007E}, // Basic Latin
	{0x00A0, 0x017F}, // Latin-1 and Latin Extended-A: Western, Central European, Turkish
	{0x0370, 0x03FF}, // Greek
	{0x0400, 0x04FF}, // Cyrillic
	{0x1F00, 0x1FFF}, // Greek Extended (polytonic)
	{0x2010, 0x2027}, // dashes, quotes, bullet, ellipsis
	{0x2030, 0x203A}, // per mille, primes, angle quotes
	{0x20A0, 0x20BF}, // currency
	{0x2116, 0x2116}, // №
	{0x2122, 0x2122}, // ™
}

// fontTemplate is a font embedded once: its objects by number in a scratch document.
type fontTemplate struct {
	objs map[int]types.Object
	root int
	gids map[uint16]bool
}

var (
	templatesMu sync.Mutex
	templates   = map[string]*fontTemplate{}
)

// scratchPDF is the smallest document pdfcpu will read, to embed templates into.
const scratchPDF = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n" +
	"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%EOF\n"

func template(m *metrics) (*fontTemplate, error) {
	templatesMu.Lock()
	defer templatesMu.Unlock()
	if t, ok := templates[m.name]; ok {
		return t, nil
	}
	ctx, err := api.ReadContext(bytes.NewReader([]byte(scratchPDF)), newConf())
	if err != nil {
		return nil, fmt.Errorf("font template: %w", err)
	}
	gids := map[uint16]bool{}
	for _, r := range commonRanges {
		for c := r[0]; c <= r[1]; c++ {
			if g, ok := m.gid(c); ok {
				gids[g] = true
			}
		}
	}
	ctx.UsedGIDs = map[string]map[uint16]bool{m.name: cloneSet(gids)}
	ref, err := pdffont.EnsureFontDict(ctx.XRefTable, m.name, "", "", false, nil)
	if err != nil {
		return nil, fmt.Errorf("font template %s: %w", m.name, err)
	}
	if err := fixToUnicode(ctx.XRefTable, *ref, m, gids); err != nil {
		return nil, fmt.Errorf("font template %s: %w", m.name, err)
	}
	t := &fontTemplate{objs: map[int]types.Object{}, root: ref.ObjectNumber.Value(), gids: gids}
	var collect func(o types.Object) error
	collect = func(o types.Object) error {
		switch o := o.(type) {
		case types.IndirectRef:
			nr := o.ObjectNumber.Value()
			if _, seen := t.objs[nr]; seen {
				return nil
			}
			obj, err := ctx.Dereference(o)
			if err != nil {
				return err
			}
			t.objs[nr] = obj
			return collect(obj)
		case types.Dict:
			for _, v := range o {
				if err := collect(v); err != nil {
					return err
				}
			}
		case types.StreamDict:
			if o.Raw == nil {
				if err := o.Encode(); err != nil {
					return err
				}
			}
			return collect(o.Dict)
		case types.Array:
			for _, v := range o {
				if err := collect(v); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := collect(*ref); err != nil {
		return nil, fmt.Errorf("font template %s: %w", m.name, err)
	}
	templates[m.name] = t
	return t, nil
}

func cloneSet(s map[uint16]bool) map[uint16]bool {
	c := make(map[uint16]bool, len(s))
	for k, v := range s {
		c[k] = v
	}
	return c
}

// covers says whether the template has every glyph in used.
func (t *fontTemplate) covers(used map[uint16]bool) bool {
	for g := range used {
		if !t.gids[g] {
			return false
		}
	}
	return true
}

// copyInto adds the template's objects to xt under new numbers and returns the font.
func (t *fontTemplate) copyInto(xt *model.XRefTable) (types.IndirectRef, error) {
	renum := map[int]int{}
	// Reserve numbers first, so references can be rewritten in one pass.
	for nr := range t.objs {
		ref, err := xt.IndRefForNewObject(types.Dict{})
		if err != nil {
			return types.IndirectRef{}, err
		}
		renum[nr] = ref.ObjectNumber.Value()
	}
	var cp func(o types.Object) types.Object
	cp = func(o types.Object) types.Object {
		switch o := o.(type) {
		case types.IndirectRef:
			return *types.NewIndirectRef(renum[o.ObjectNumber.Value()], 0)
		case types.Dict:
			d := make(types.Dict, len(o))
			for k, v := range o {
				d[k] = cp(v)
			}
			return d
		case types.StreamDict:
			sd := o
			sd.Dict = cp(o.Dict).(types.Dict)
			sd.Content = nil // the compressed Raw is what gets written
			return sd
		case types.Array:
			a := make(types.Array, len(o))
			for i, v := range o {
				a[i] = cp(v)
			}
			return a
		default:
			return o
		}
	}
	for nr, o := range t.objs {
		e, ok := xt.FindTableEntryLight(renum[nr])
		if !ok {
			return types.IndirectRef{}, fmt.Errorf("font template: object %d vanished", renum[nr])
		}
		e.Object = cp(o)
	}
	return *types.NewIndirectRef(renum[t.root], 0), nil
}

// fixToUnicode replaces the ToUnicode CMap pdfcpu wrote for font (it maps at most the
// first 100 glyphs, so text past them could not be searched or copied) with one for
// every glyph in gids.
func fixToUnicode(xt *model.XRefTable, font types.IndirectRef, m *metrics, gids map[uint16]bool) error {
	d, err := xt.DereferenceDict(font)
	if err != nil || d == nil {
		return fmt.Errorf("font dictionary: %v", err)
	}
	ref, ok := d["ToUnicode"].(types.IndirectRef)
	if !ok {
		return errors.New("font has no ToUnicode map")
	}
	e, ok := xt.FindTableEntryLight(ref.ObjectNumber.Value())
	if !ok {
		return errors.New("ToUnicode map missing")
	}
	sd, err := xt.NewStreamDictForBuf(toUnicodeCMap(m, gids))
	if err != nil {
		return err
	}
	if err := sd.Encode(); err != nil {
		return err
	}
	e.Object = *sd
	return nil
}

// toUnicodeCMap maps each glyph to the character it is drawn for (the lowest, where a
// glyph serves several).
func toUnicodeCMap(m *metrics, gids map[uint16]bool) []byte {
	uni := map[uint16]rune{}
	for r, g := range m.chars {
		if gids[g] {
			if old, ok := uni[g]; !ok || rune(r) < old {
				uni[g] = rune(r)
			}
		}
	}
	sorted := make([]int, 0, len(uni))
	for g := range uni {
		sorted = append(sorted, int(g))
	}
	sort.Ints(sorted)
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(sorted); i += 100 {
		block := sorted[i:min(i+100, len(sorted))]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(block))
		for _, g := range block {
			fmt.Fprintf(&b, "<%04X> <", g)
			for _, u := range utf16.Encode([]rune{uni[uint16(g)]}) {
				fmt.Fprintf(&b, "%04X", u)
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

// fontProgram follows a Type0 font to its embedded font program's raw (compressed) bytes.
func fontProgram(deref func(types.Object) (types.Object, error), font types.Object) (base string, raw []byte, ok bool) {
	o, err := deref(font)
	d, isDict := o.(types.Dict)
	if err != nil || !isDict {
		return "", nil, false
	}
	bf, _ := d["BaseFont"].(types.Name)
	kids, _ := d["DescendantFonts"].(types.Array)
	if len(kids) != 1 {
		return "", nil, false
	}
	o, err = deref(kids[0])
	cid, isDict := o.(types.Dict)
	if err != nil || !isDict {
		return "", nil, false
	}
	o, err = deref(cid["FontDescriptor"])
	fd, isDict := o.(types.Dict)
	if err != nil || !isDict {
		return "", nil, false
	}
	o, err = deref(fd["FontFile2"])
	sd, isStream := o.(types.StreamDict)
	if err != nil || !isStream {
		return "", nil, false
	}
	return string(bf), sd.Raw, true
}

// isCopyAt says whether the font at ref in xt is this template, font program and all:
// the audit trail draws with a font of the signed revision only when it is.
func (t *fontTemplate) isCopyAt(xt *model.XRefTable, ref types.IndirectRef) bool {
	mine := func(o types.Object) (types.Object, error) {
		if r, ok := o.(types.IndirectRef); ok {
			return t.objs[r.ObjectNumber.Value()], nil
		}
		return o, nil
	}
	theirs := func(o types.Object) (types.Object, error) {
		if r, ok := o.(types.IndirectRef); ok {
			if sd, _, err := xt.DereferenceStreamDict(r); err == nil && sd != nil {
				return *sd, nil
			}
		}
		return xt.Dereference(o)
	}
	b1, raw1, ok1 := fontProgram(mine, *types.NewIndirectRef(t.root, 0))
	b2, raw2, ok2 := fontProgram(theirs, ref)
	return ok1 && ok2 && b1 == b2 && len(raw1) > 0 && bytes.Equal(raw1, raw2)
}
