package desktop_test

import (
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"portico/backend/api"
	"portico/backend/desktop"
	"portico/backend/desktop/billing"
	"portico/backend/desktop/clients"
	"portico/backend/desktop/invites"
	"portico/backend/desktop/todos"
	"portico/backend/testkit/mailpittest"
)

// withMail starts Mailpit and returns portald flags that send mail to it.
func withMail(t *testing.T, portalAddr string) (*mailpittest.Server, []string) {
	mp := mailpittest.Start(t, "")
	host, port, _ := net.SplitHostPort(mp.SMTPAddr)
	return mp, []string{"--base-url", "http://" + portalAddr, "--smtp-host", host, "--smtp-port", port,
		"--smtp-from", "portal@ledger.test", "--smtp-tls", "none"}
}

// mailedPortal is a portald sending mail to its own Mailpit, with a desktop signed in to it.
type mailedPortal struct {
	*portald
	mail       *mailpittest.Server
	data, addr string
	flags      []string
}

// startMailedPortal creates a firm, starts portald and Mailpit, and signs a desktop in.
func startMailedPortal(t *testing.T, firm, email, desk string) (*mailedPortal, *desktop.Desktop) {
	t.Helper()
	m := &mailedPortal{data: t.TempDir(), addr: freeAddr(t)}
	createFirm(t, m.data, firm, email, "a-long-password")
	m.mail, m.flags = withMail(t, m.addr)
	m.portald = startPortald(t, m.data, m.addr, m.flags...)
	d := openDesktop(t, desk, nil)
	if _, err := d.Session.SignIn(context.Background(), m.url(), email, "a-long-password"); err != nil {
		t.Fatal(err)
	}
	return m, d
}

// restart starts portald again on the same address and data, after stop.
func (m *mailedPortal) restart(t *testing.T) {
	m.portald = startPortald(t, m.data, m.addr, m.flags...)
}

var inviteLinkRE = regexp.MustCompile(`http://[^\s"<]+/invite/[A-Za-z0-9_-]+`)

// linkIn waits for the newest invitation to addr and returns its link.
func linkIn(t *testing.T, mp *mailpittest.Server, addr string, after string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		m := mp.Latest(t, addr, "invites you", 15*time.Second)
		text, _ := mp.Body(t, m.ID)
		if link := inviteLinkRE.FindString(text); link != "" && link != after {
			return link
		}
		if time.Now().After(deadline) {
			t.Fatalf("no new invitation to %s", addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var termsRE = regexp.MustCompile(`name="terms" type="checkbox" value="([^"]+)"`)

// acceptAsClient opens the link in a cookie-keeping client, as a browser would, and
// creates the account. It returns the client's HTTP client, now signed in.
func acceptAsClient(t *testing.T, link, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page := readAll(resp)
	m := termsRE.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("invite page: %d\n%s", resp.StatusCode, page)
	}
	u, _ := url.Parse(link)
	var csrf string
	for _, c := range jar.Cookies(u) {
		if c.Name == "portico_csrf" {
			csrf = c.Value
		}
	}
	resp, err = hc.PostForm(link, url.Values{"csrf": {csrf}, "password": {password}, "confirm": {password}, "terms": {m[1]}})
	if err != nil {
		t.Fatal(err)
	}
	if body := readAll(resp); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/home") {
		t.Fatalf("accepting: %d %s", resp.StatusCode, body)
	}
	return hc
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

func person(t *testing.T, d *desktop.Desktop, clientID, email string) invites.PortalPerson {
	t.Helper()
	people, err := d.Invites.ForClient(context.Background(), clientID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		if p.Email == email {
			return p
		}
	}
	return invites.PortalPerson{}
}

// TestInvitationRoundTrip: staff invite a client and a spouse while the portal is down; the
// invitations go out when it is back; the client accepts through the link in the mail and
// the desktop sees it; removing access ends the client's session and kills the spouse's link.
func TestInvitationRoundTrip(t *testing.T) {
	ctx := context.Background()
	p, d := startMailedPortal(t, "Ledger & Sons", "owner@ledger.test", "desk")
	mp := p.mail
	c, err := d.Clients.Create(ctx, clients.Input{Name: "Smith Household", People: []clients.PersonInput{
		{Role: "primary", Name: "Ann Smith", Email: "ann@smith.test"},
		{Role: "spouse", Name: "Bob Smith", Email: "bob@smith.test"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the client to sync", func() bool { return syncState(t, d).Pending == 0 })

	p.stop() // offline: the invitation waits in the outbox
	err = d.Invites.Send(ctx, c.ID, invites.Invitation{People: []invites.Person{
		{PersonID: c.People[0].ID, Name: "Ann Smith", Email: "ann@smith.test"},
		{PersonID: c.People[1].ID, Name: "Bob Smith", Email: "bob@smith.test"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got := person(t, d, c.ID, "ann@smith.test"); got.Display != invites.StateQueued {
		t.Fatalf("offline: %+v", got)
	}
	p.restart(t)
	annLink := linkIn(t, mp, "ann@smith.test", "")
	bobLink := linkIn(t, mp, "bob@smith.test", "")
	m := mp.Latest(t, "ann@smith.test", "invites you", time.Second)
	if m.From.Name != "Ledger & Sons" || m.Subject != "Ledger & Sons invites you to your client portal" {
		t.Fatalf("mail as received: %+v", m)
	}
	waitFor(t, 10*time.Second, "the desktop to see both invited", func() bool {
		return person(t, d, c.ID, "ann@smith.test").Display == "invited" && person(t, d, c.ID, "bob@smith.test").Display == "invited"
	})

	ann := acceptAsClient(t, annLink, "correct horse battery")
	waitFor(t, 10*time.Second, "the desktop to see Ann active", func() bool {
		got, _ := d.Clients.Get(ctx, c.ID)
		return person(t, d, c.ID, "ann@smith.test").Display == "active" && got.PortalStatus == "active"
	})
	activity, err := d.Invites.Activity(ctx, c.ID)
	if err != nil || len(activity) == 0 || activity[0].Event != "invitation.accepted" || activity[0].IP == "" {
		t.Fatalf("activity %+v %v", activity, err)
	}

	// Resend to Bob: the first link stops working.
	if err := d.Invites.Resend(ctx, c.ID, "bob@smith.test"); err != nil {
		t.Fatal(err)
	}
	newBob := linkIn(t, mp, "bob@smith.test", bobLink)
	if resp, err := http.Get(bobLink); err != nil || resp.StatusCode != http.StatusGone {
		t.Fatalf("old link after resend: %v %v", resp.StatusCode, err)
	}
	waitFor(t, 10*time.Second, "two sends to show", func() bool {
		return len(person(t, d, c.ID, "bob@smith.test").Invitations) == 2
	})

	for _, email := range []string{"ann@smith.test", "bob@smith.test"} {
		if err := d.Invites.RemoveAccess(ctx, c.ID, email); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 10*time.Second, "the desktop to see access removed", func() bool {
		got, _ := d.Clients.Get(ctx, c.ID)
		return person(t, d, c.ID, "ann@smith.test").Display == "removed" && got.PortalStatus == "removed"
	})
	resp, err := ann.Get(p.url() + "/home")
	if err != nil || resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
		t.Fatalf("Ann's session after removal: %v %v", resp.StatusCode, err)
	}
	if resp, err := http.Get(newBob); err != nil || resp.StatusCode != http.StatusGone {
		t.Fatalf("Bob's link after removal: %v %v", resp.StatusCode, err)
	}
}

// TestTodoAndBillingRoundTrip: staff give a client a to-do and an invoice with a payment;
// the client sees them in the portal and marks the to-do done; the desktop sees that.
func TestTodoAndBillingRoundTrip(t *testing.T) {
	ctx := context.Background()
	p, d := startMailedPortal(t, "Ledger & Sons", "owner@ledger.test", "desk")
	mp := p.mail
	c, err := d.Clients.Create(ctx, clients.Input{Name: "Smith Household", People: []clients.PersonInput{
		{Role: "primary", Name: "Ann Smith", Email: "ann@smith.test"}}})
	if err != nil {
		t.Fatal(err)
	}
	todo, err := d.Todos.Save(ctx, todos.Input{ClientID: c.ID, Title: "Upload your 1099s", Due: "2027-02-15"})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := d.Billing.CreateInvoice(ctx, billing.InvoiceInput{ClientID: c.ID, Number: "2026-001", Date: "2026-11-27",
		Lines: []api.InvoiceLine{{Description: "Tax return", Quantity: 1, UnitCents: 52500}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Billing.RecordPayment(ctx, billing.PaymentInput{ClientID: c.ID, InvoiceID: inv.ID, Date: "2026-11-27", AmountCents: 12500}); err != nil {
		t.Fatal(err)
	}
	if err := d.Invites.Send(ctx, c.ID, invites.Invitation{People: []invites.Person{{Name: "Ann Smith", Email: "ann@smith.test"}}}); err != nil {
		t.Fatal(err)
	}
	ann := acceptAsClient(t, linkIn(t, mp, "ann@smith.test", ""), "correct horse battery")
	get := func(path string) string {
		resp, err := ann.Get(p.url() + path)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %v %v", path, resp.StatusCode, err)
		}
		return readAll(resp)
	}
	if home := get("/home"); !strings.Contains(home, "Upload your 1099s") {
		t.Fatalf("home:\n%s", home)
	}
	if b := get("/billing"); !strings.Contains(b, "$400.00") || !strings.Contains(b, "2026-001") {
		t.Fatalf("billing:\n%s", b)
	}
	u, _ := url.Parse(p.url())
	var csrf string
	for _, ck := range ann.Jar.Cookies(u) {
		if ck.Name == "portico_csrf" {
			csrf = ck.Value
		}
	}
	resp, err := ann.PostForm(p.url()+"/todos/"+todo.ID+"/done", url.Values{"csrf": {csrf}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("done: %v %v", resp.StatusCode, err)
	}
	waitFor(t, 10*time.Second, "the desktop to see the to-do done", func() bool {
		list, _ := d.Todos.List(ctx, c.ID)
		return len(list) == 1 && list[0].State == api.TodoDone && list[0].DoneBy == "ann@smith.test"
	})
	activity, _ := d.Invites.Activity(ctx, c.ID)
	if len(activity) == 0 || activity[0].Event != "todo.done" {
		t.Fatalf("activity %+v", activity)
	}

	// Staff open the schedule; the client books; the desktop gets the booking, the client a
	// confirmation with a calendar file.
	sch, _ := d.Schedule.Get(ctx)
	sch.Enabled, sch.TimeZone = true, "America/Chicago"
	for i := range sch.Weekly {
		sch.Weekly[i] = api.DayHours{Start: "08:00", End: "18:00"} // every day: the test may run on a weekend
	}
	if _, err := d.Schedule.Save(ctx, sch); err != nil {
		t.Fatal(err)
	}
	var page string
	waitFor(t, 10*time.Second, "the schedule to reach the portal", func() bool {
		resp, err := ann.Get(p.url() + "/schedule")
		if err != nil {
			return false
		}
		page = readAll(resp)
		return resp.StatusCode == http.StatusOK && strings.Contains(page, `name="start"`)
	})
	start := regexp.MustCompile(`name="start" value="([^"]+)"`).FindStringSubmatch(page)[1]
	resp, err = ann.PostForm(p.url()+"/schedule/book", url.Values{"csrf": {csrf}, "type": {sch.Types[0].ID}, "start": {start}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("book: %v %v", resp.StatusCode, err)
	}
	waitFor(t, 10*time.Second, "the desktop to see the booking", func() bool {
		up, _ := d.Schedule.Upcoming(ctx)
		return len(up) == 1 && up[0].ClientName == "Smith Household" && up[0].Start.Format(time.RFC3339) == start
	})
	m := mp.Latest(t, "ann@smith.test", "Appointment confirmed", 15*time.Second)
	ical := mp.Attachment(t, m.ID, "appointment.ics")
	cal, err := ics.ParseCalendar(strings.NewReader(ical))
	if err != nil || len(cal.Events()) != 1 {
		t.Fatalf("calendar file %q: %v", ical, err)
	}
	at, err := cal.Events()[0].GetStartAt()
	if err != nil || !at.Equal(mustTime(start)) || at.Location().String() != "America/Chicago" {
		t.Fatalf("DTSTART %v (%v), want %s in America/Chicago", at, err, start)
	}
}

func mustTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}
