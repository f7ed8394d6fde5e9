package seal_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"portico/backend/seal"
	"portico/backend/testkit/pdftest"
)

// A fillable form stays a form once sealed: its fields, /DR, /DA and /NeedAppearances are
// there beside the seal's field. And the catalog's strings come out as they went in, with
// "(", ")" and "\" escaped: a page label "Annex 1)" and a binary name-tree key.
func TestSealKeepsTheFormAndTheCatalog(t *testing.T) {
	// 4 the form, 5 its text field, 6 the named destination's array; the page is 7.
	pdf := pdftest.MakeWith(`/AcroForm 4 0 R /PageLabels << /Nums [0 << /S /D /P (Annex 1\)) >>] >>`+
		` /Names << /Dests << /Names [(a\(b\)c\\d\050) 6 0 R] >> >>`, []string{
		`<< /Fields [5 0 R] /DR << /Font << /Helv 3 0 R >> >> /DA (/Helv 0 Tf 0 g) /NeedAppearances true >>`,
		`<< /FT /Tx /T (Client name) /V (Ana \(P\351rez\)) /Subtype /Widget /Rect [100 600 300 620] /P 7 0 R /DA (/Helv 12 Tf 0 g) >>`,
		`[7 0 R /Fit]`,
	}, pdftest.Letter("Form 8879"))
	var out bytes.Buffer
	if _, err := sealer(t).Seal(context.Background(), bytes.NewReader(pdf), nil, sampleTrail(pdf), &out); err != nil {
		t.Fatalf("Seal: %v", err)
	}
	checkSealed(t, writeFile(t, "sealed.pdf", out.Bytes()))
	if v, err := seal.Verify(bytes.NewReader(out.Bytes())); err != nil || !v.Intact {
		t.Fatalf("Verify: %+v, %v", v, err)
	}

	ctx, err := api.ReadContext(bytes.NewReader(out.Bytes()), model.NewDefaultConfiguration())
	if err != nil {
		t.Fatal(err)
	}
	form, err := ctx.DereferenceDict(ctx.RootDict["AcroForm"])
	if err != nil || form == nil {
		t.Fatalf("the sealed catalog has no form: %v", err)
	}
	fields, _ := ctx.DereferenceArray(form["Fields"])
	var names []string
	for _, f := range fields {
		d, _ := ctx.DereferenceDict(f)
		names = append(names, text(t, d["T"]))
	}
	if len(names) != 2 || names[0] != "Client name" {
		t.Errorf("the form's fields: %q, want Client name and the seal", names)
	}
	if need := form.BooleanEntry("NeedAppearances"); need == nil || !*need {
		t.Error("/NeedAppearances is gone")
	}
	if _, ok := form["DR"]; !ok {
		t.Error("/DR is gone")
	}
	if da := text(t, form["DA"]); da != "/Helv 0 Tf 0 g" {
		t.Errorf("/DA is %q", da)
	}
	if flags := form.IntEntry("SigFlags"); flags == nil || *flags != 3 {
		t.Errorf("/SigFlags: %v", flags)
	}

	labels, _ := ctx.DereferenceDict(ctx.RootDict["PageLabels"])
	nums, _ := ctx.DereferenceArray(labels["Nums"])
	label, _ := ctx.DereferenceDict(nums[1])
	if got := text(t, label["P"]); got != "Annex 1)" {
		t.Errorf("the page label's prefix: %q, want %q", got, "Annex 1)")
	}
	names2, _ := ctx.DereferenceDict(ctx.RootDict["Names"])
	dests, _ := ctx.DereferenceDict(names2["Dests"])
	keys, _ := ctx.DereferenceArray(dests["Names"])
	if got := text(t, keys[0]); got != "a(b)c\\d(" {
		t.Errorf("the name tree's key: %q, want %q", got, "a(b)c\\d(")
	}
}

// text decodes a PDF string object.
func text(t *testing.T, o types.Object) string {
	t.Helper()
	switch s := o.(type) {
	case types.StringLiteral:
		b, err := types.Unescape(s.Value())
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	case types.HexLiteral:
		b, err := s.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	t.Fatalf("not a string: %T %v", o, o)
	return ""
}
