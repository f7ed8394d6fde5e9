package seal

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Event is one line of the audit trail.
type Event struct {
	At        time.Time
	What      string // sent, viewed, consented, signed, declined, reminded, completed
	Who       string // "Name <email>"
	IP        string
	UserAgent string
	Detail    string
}

// Trail is what the audit trail pages say besides the hashes, which Seal computes.
type Trail struct {
	Document string // the document's name as signers saw it
	PacketID string
	Firm     string
	Events   []Event
	// OriginalSHA256 is the hex SHA-256 the firm recorded for the original when it sent
	// the packet. Seal checks the original it is given against it, so a packet is never
	// sealed onto another file; "" skips the check.
	OriginalSHA256 string
}

// trailFacts is the trail plus what Seal learned while sealing.
type trailFacts struct {
	Trail
	originalSHA, signedSHA string
	signedSize             int
	sealedAt               time.Time
	sealedBy               string // certificate subject
	certSHA                string
	tsa                    string
}

// Page layout of the trail, in points: US Letter, the paper of the firms this serves.
const (
	trailW, trailH = 612.0, 792.0
	margin         = 54.0
	bodySize       = 9.0
	lineGap        = 1.45 // line height as a multiple of the font size
)

// line is one run of text placed on a trail page.
type line struct {
	m    *metrics
	size float64
	x, y float64
	text string
}

// layout flows lines onto pages, starting a new one when the next block would cross
// the bottom margin.
type layout struct {
	fonts *fontSet
	pages [][]line
	y     float64
}

func (l *layout) newPage() {
	l.pages = append(l.pages, nil)
	l.y = trailH - margin
}

// block reserves height for a group of lines that should stay on one page (an event),
// then returns the y of its top.
func (l *layout) block(height float64) float64 {
	if len(l.pages) == 0 || (l.y-height < margin+24 && l.y < trailH-margin) {
		l.newPage()
	}
	top := l.y
	l.y -= height
	return top
}

func (l *layout) add(ln line) {
	l.pages[len(l.pages)-1] = append(l.pages[len(l.pages)-1], ln)
}

// wrap breaks text into lines no wider than width at size, at spaces where it can and
// inside a word (a hash, a user agent) where it must.
func wrap(m *metrics, size, width float64, text string) []string {
	text = clean(text)
	if text == "" {
		return []string{""}
	}
	var out []string
	cur := ""
	fits := func(s string) bool { return m.width(s)*size <= width }
	for _, word := range strings.Split(text, " ") {
		cand := word
		if cur != "" {
			cand = cur + " " + word
		}
		if fits(cand) {
			cur = cand
			continue
		}
		if cur != "" {
			out = append(out, cur)
			cur = ""
		}
		for !fits(word) {
			// Break the longest prefix that fits.
			rs := []rune(word)
			n := 1
			for n < len(rs) && fits(string(rs[:n+1])) {
				n++
			}
			out = append(out, string(rs[:n]))
			word = string(rs[n:])
		}
		cur = word
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

// clean keeps text to one line of printable characters.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || !unicode.IsPrint(r) && r != ' ' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func utc(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
}

func capitalise(s string) string {
	s = clean(s)
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// layoutTrail sets the whole trail into pages of lines.
func layoutTrail(fonts *fontSet, f trailFacts) [][]line {
	l := &layout{fonts: fonts}
	reg := fonts.regular
	lh := bodySize * lineGap
	width := trailW - 2*margin

	top := l.block(30)
	l.add(line{reg, 18, margin, top - 18, "Audit trail"})

	// Facts: a label column and a value column.
	labelW := 118.0
	fact := func(label, value string) {
		vs := wrap(reg, bodySize, width-labelW, value)
		top := l.block(float64(len(vs)) * lh)
		l.add(line{reg, bodySize, margin, top - bodySize, label})
		for i, v := range vs {
			l.add(line{reg, bodySize, margin + labelW, top - bodySize - float64(i)*lh, v})
		}
	}
	fact("Document", f.Document)
	fact("Packet", f.PacketID)
	fact("Firm", f.Firm)
	fact("Sealed", utc(f.sealedAt)+" by "+f.sealedBy)
	fact("Certificate SHA-256", f.certSHA)
	if f.tsa != "" {
		fact("Timestamp", "RFC 3161 timestamp from "+f.tsa+", inside the seal")
	} else {
		fact("Timestamp", "none: the sealing time is the firm server's clock")
	}
	fact("Original SHA-256", f.originalSHA)
	fact("Signed SHA-256", f.signedSHA)
	note := fmt.Sprintf("Original is the PDF the firm sent for signature. Signed is that PDF with the signers' "+
		"entries, which is exactly the first %d bytes of this file (check with: head -c %d FILE.pdf | sha256sum). "+
		"This audit trail follows those bytes, and the firm's digital seal covers the whole file, so any "+
		"later change to the document or to this trail breaks the seal.", f.signedSize, f.signedSize)
	small := bodySize - 1
	ns := wrap(reg, small, width, note)
	top = l.block(float64(len(ns))*small*lineGap + 8)
	for i, s := range ns {
		l.add(line{reg, small, margin, top - 4 - small - float64(i)*small*lineGap, s})
	}

	// Events, oldest first.
	events := append([]Event(nil), f.Events...)
	sort.SliceStable(events, func(i, j int) bool { return events[i].At.Before(events[j].At) })
	colTime, colWhat, colWho := margin, margin+112, margin+182
	whoW := trailW - margin - colWho
	header := func(title string) {
		top := l.block(12 + 1.6*lh)
		l.add(line{reg, 12, margin, top - 12 - 6, title})
		y := top - 12 - 6 - 1.3*lh
		l.add(line{reg, bodySize - 1, colTime, y, "Time (UTC)"})
		l.add(line{reg, bodySize - 1, colWhat, y, "Event"})
		l.add(line{reg, bodySize - 1, colWho, y, "Who, from where"})
	}
	header("Events")
	for _, e := range events {
		var who []string
		who = append(who, wrap(reg, bodySize, whoW, e.Who)...)
		if e.IP != "" {
			who = append(who, wrap(reg, bodySize, whoW, "IP "+e.IP)...)
		}
		if e.UserAgent != "" {
			who = append(who, wrap(reg, bodySize-1, whoW, e.UserAgent)...)
		}
		if e.Detail != "" {
			who = append(who, wrap(reg, bodySize, whoW, e.Detail)...)
		}
		pagesBefore := len(l.pages)
		top := l.block(float64(len(who))*lh + 5)
		if len(l.pages) != pagesBefore {
			// A new page: repeat the column heads.
			l.y = top
			header("Events (continued)")
			top = l.block(float64(len(who))*lh + 5)
		}
		y := top - 5 - bodySize
		t := e.At.UTC().Format("2006-01-02 15:04:05")
		if e.At.IsZero() {
			t = "unknown"
		}
		l.add(line{reg, bodySize, colTime, y, t})
		l.add(line{reg, bodySize, colWhat, y, capitalise(e.What)})
		for i, s := range who {
			l.add(line{reg, bodySize, colWho, y - float64(i)*lh, s})
		}
	}
	if len(events) == 0 {
		top := l.block(lh)
		l.add(line{reg, bodySize, margin, top - bodySize, "No events were recorded."})
	}

	// Footers, now that the page count is known.
	n := len(l.pages)
	for i := range l.pages {
		foot := fmt.Sprintf("Audit trail, page %d of %d · %s · packet %s", i+1, n, clean(f.Document), clean(f.PacketID))
		if fs := wrap(reg, 7.5, width, foot); len(fs) > 0 {
			l.pages[i] = append(l.pages[i], line{reg, 7.5, margin, margin - 24, fs[0]})
		}
	}
	return l.pages
}

// appendTrail adds the audit trail pages to signed as an incremental update, so that
// signed stays byte for byte the start of the result and its SHA-256, printed in the
// trail, can be checked by anyone. It returns the bytes to append.
// Fonts the signed revision embedded from templates (embedded) are drawn with again
// rather than embedded twice.
func appendTrail(signed []byte, fonts *fontSet, embedded map[*metrics]types.IndirectRef, f trailFacts) (incr []byte, pages int, err error) {
	ctx, err := api.ReadContext(bytes.NewReader(signed), newConf())
	if err != nil {
		return nil, 0, fmt.Errorf("seal: reread the signed document: %w", err)
	}
	before := map[int]bool{} // object number -> in use before the trail
	for nr, e := range ctx.Table {
		before[nr] = e != nil && !e.Free
	}

	rootRef, err := ctx.Pages()
	if err != nil {
		return nil, 0, fmt.Errorf("seal: page tree: %w", err)
	}
	root, err := ctx.DereferenceDict(*rootRef)
	if err != nil || root == nil {
		return nil, 0, fmt.Errorf("seal: page tree root: %v", err)
	}
	kidsObj, _ := root.Find("Kids")
	kids, err := ctx.DereferenceArray(kidsObj)
	if err != nil {
		return nil, 0, fmt.Errorf("seal: page tree kids: %w", err)
	}
	kids = append(types.Array(nil), kids...)

	s := newStamper(ctx, fonts)
	for m, ref := range embedded {
		if t, err := template(m); err == nil && t.isCopyAt(ctx.XRefTable, ref) {
			s.reuse[m] = ref
		}
	}
	laid := layoutTrail(fonts, f)
	for _, pl := range laid {
		d := types.Dict{
			"Type":     types.Name("Page"),
			"Parent":   *rootRef,
			"MediaBox": types.NewRectangle(0, 0, trailW, trailH).Array(),
		}
		ref, err := ctx.IndRefForNewObject(d)
		if err != nil {
			return nil, 0, fmt.Errorf("seal: trail page: %w", err)
		}
		kids = append(kids, *ref)
		ps, err := s.page(d, nil)
		if err != nil {
			return nil, 0, err
		}
		ps.ops.WriteString("Q\nq\n")
		for _, ln := range pl {
			name, err := s.fontName(ps, ln.m)
			if err != nil {
				return nil, 0, err
			}
			fmt.Fprintf(&ps.ops, "BT /%s %s Tf %s %s Td %s Tj ET\n", name, num(ln.size), inkBlack, nums(ln.x, ln.y), s.glyphs(ln.m, ln.text))
		}
		ps.ops.WriteString("Q\n")
	}
	if err := s.finish(); err != nil {
		return nil, 0, fmt.Errorf("seal: trail: %w", err)
	}
	root["Kids"] = kids
	count := 0
	if c := root.IntEntry("Count"); c != nil {
		count = *c
	}
	root["Count"] = types.Integer(count + len(laid))

	// The increment holds every object the trail made or changed: the new pages,
	// streams and fonts, and the page tree root.
	ctx.Write.Increment = true
	ctx.Write.Offset = int64(len(signed))
	for nr, e := range ctx.Table {
		if e != nil && !e.Free && !before[nr] {
			ctx.Write.IncrementWithObjNr(nr)
		}
	}
	ctx.Write.IncrementWithObjNr(rootRef.ObjectNumber.Value())
	sort.Ints(ctx.Write.ObjNrs)
	var out bytes.Buffer
	if err := api.WriteIncrement(ctx, &out); err != nil {
		return nil, 0, fmt.Errorf("seal: write the audit trail: %w", err)
	}
	return out.Bytes(), len(laid), nil
}
