package desktop

import (
	"context"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"portico/backend/api"
	"portico/backend/desktop/billing"
	"portico/backend/desktop/clients"
	"portico/backend/desktop/files"
	"portico/backend/desktop/todos"
)

// demoDocs are the sample clients' shared documents: one-page PDFs.
//
//go:embed demo/*.pdf
var demoDocs embed.FS

// demoClient is one sample client of the demo firm.
type demoClient struct {
	name, person, email string
	todo, todoNote      string
	line                api.InvoiceLine
	document            string
}

var demoClients = []demoClient{
	{"Rivera Household", "Maria Rivera", "maria.rivera@example.com", "Send your 2026 W-2 forms",
		"One from each employer. A photo of each page is fine.",
		api.InvoiceLine{Description: "2026 individual return (Form 1040)", Quantity: 1, UnitCents: 45000}, "2026 Organizer.pdf"},
	{"Okafor Bakery LLC", "Chidi Okafor", "chidi@okaforbakery.example.com", "Upload December bank statements",
		"All business accounts, as PDF downloads from your bank.",
		api.InvoiceLine{Description: "Monthly bookkeeping, December", Quantity: 1, UnitCents: 32500}, "November financial statements.pdf"},
	{"Lindqvist, Anna", "Anna Lindqvist", "anna.lindqvist@example.com", "Sign the engagement letter",
		"Read it through; ask us anything before you sign.",
		api.InvoiceLine{Description: "Tax planning meeting", Quantity: 2, UnitCents: 15000}, "Engagement letter 2026.pdf"},
}

// SeedDemo gives the demo firm of make run something to look at: three clients, each with
// a person, a to-do, an invoice and a document shared with them. A firm that has clients
// (archived ones too) gets nothing.
func (d *Desktop) SeedDemo(ctx context.Context, now time.Time) error {
	have, err := d.Clients.List(ctx, "", true)
	if err != nil || len(have) > 0 {
		return err
	}
	for i, dc := range demoClients {
		c, err := d.Clients.Create(ctx, clients.Input{Name: dc.name, People: []clients.PersonInput{
			{Role: api.RolePrimary, Name: dc.person, Email: dc.email}}})
		if err != nil {
			return fmt.Errorf("demo client %s: %w", dc.name, err)
		}
		if _, err := d.Todos.Save(ctx, todos.Input{ClientID: c.ID, Title: dc.todo, Description: dc.todoNote,
			Due: now.AddDate(0, 0, 14).Format(time.DateOnly)}); err != nil {
			return fmt.Errorf("demo to-do: %w", err)
		}
		if _, err := d.Billing.CreateInvoice(ctx, billing.InvoiceInput{ClientID: c.ID, Number: fmt.Sprintf("DEMO-%03d", i+1),
			Date: now.Format(time.DateOnly), Due: now.AddDate(0, 0, 30).Format(time.DateOnly),
			Lines: []api.InvoiceLine{dc.line}}); err != nil {
			return fmt.Errorf("demo invoice: %w", err)
		}
		folder, err := d.Files.ClientFolder(ctx, c.ID)
		if err != nil {
			return fmt.Errorf("demo folder: %w", err)
		}
		doc := filepath.Join(folder, files.SharedDir, dc.document)
		if err := os.MkdirAll(filepath.Dir(doc), 0o755); err != nil {
			return err
		}
		pdf, err := demoDocs.ReadFile("demo/" + dc.document)
		if err != nil {
			return err
		}
		if err := os.WriteFile(doc, pdf, 0o644); err != nil {
			return fmt.Errorf("demo document: %w", err)
		}
	}
	return nil
}
