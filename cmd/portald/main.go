// Command portald is Portico's hosted portal: the web pages clients use and the API the
// staff desktops sync through.
//
//	portald serve [--addr 127.0.0.1:8080] [--data DIR] [--db FILE] [--base-url URL] [--smtp-host H ...]
//	portald firm create --name NAME --admin-email EMAIL [--admin-password PW] [--data DIR]
//	portald firm seal --name NAME --p12 FILE [--data DIR]   (password in PORTALD_P12_PASSWORD)
//	portald verify FILE.pdf [--data DIR]
//
// Every flag has an environment variable: PORTALD_ADDR, PORTALD_DATA, PORTALD_DB,
// PORTALD_BASE_URL, PORTALD_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM, _TLS, PORTALD_KEY_FILE,
// PORTALD_INVITE_TTL, PORTALD_TRUSTED_PROXIES, PORTALD_SMS_URL, _ACCOUNT, _TOKEN, _FROM.
package main

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	netmail "net/mail"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"portico/backend/api"
	"portico/backend/portal/auth"
	"portico/backend/portal/blobs"
	"portico/backend/portal/db"
	"portico/backend/portal/mail"
	"portico/backend/portal/peer"
	"portico/backend/portal/sealing"
	"portico/backend/portal/server"
	"portico/backend/portal/sms"
	"portico/backend/portal/web"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "portald:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  portald serve [--addr HOST:PORT] [--data DIR] [--db FILE] [--base-url URL]
  portald firm create --name NAME --admin-email EMAIL [--admin-name NAME] [--admin-password PW] [--data DIR]
  portald firm seal --name NAME --p12 FILE [--data DIR]   (the file's password in PORTALD_P12_PASSWORD)
  portald verify [--data DIR] FILE.pdf`

func run(args []string) error {
	switch {
	case len(args) >= 1 && args[0] == "serve":
		return serve(args[1:])
	case len(args) >= 2 && args[0] == "firm" && args[1] == "create":
		return createFirm(args[2:])
	case len(args) >= 2 && args[0] == "firm" && args[1] == "seal":
		return firmSeal(args[2:])
	case len(args) >= 1 && args[0] == "verify":
		return verify(args[1:], os.Stdout)
	}
	return errors.New(usage)
}

// config is what every command shares.
type config struct {
	addr, data, db, baseURL string
	keyFile                 string
	trustedProxies          string
	inviteTTL               time.Duration
	maxFileSize             int64
	smtp                    mail.SMTPConfig
	sms                     sms.Twilio
	tsa                     string
	tsaTries                int
	tsaRoots                string
}

// firmSeal replaces a firm's generated sealing certificate with its own (PKCS#12).
func firmSeal(args []string) error {
	var cfg config
	var name, p12 string
	fs := flag.NewFlagSet("firm seal", flag.ContinueOnError)
	cfg.flags(fs)
	fs.StringVar(&name, "name", "", "the firm's name")
	fs.StringVar(&p12, "p12", "", "PKCS#12 file with the certificate and its key")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if name == "" || p12 == "" {
		return errors.New("--name and --p12 are required")
	}
	data, err := os.ReadFile(p12)
	if err != nil {
		return err
	}
	ctx := context.Background()
	d, err := cfg.openExisting(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	firm, err := d.FirmByName(ctx, name)
	if err != nil {
		return fmt.Errorf("firm %q: %w", name, err)
	}
	seals, err := cfg.sealing(d, nil, slog.Default()) // certificates only: no blobs
	if err != nil {
		return err
	}
	cert, err := seals.UploadFirmSeal(ctx, firm.ID, data, os.Getenv("PORTALD_P12_PASSWORD"))
	if err != nil {
		return err
	}
	fmt.Printf("Firm %q now seals with %q (valid until %s).\n", firm.Name, cert.Subject.String(), cert.NotAfter.Format(time.DateOnly))
	return nil
}

// verify says whether a PDF is intact and sealed by a firm of this portal; not so is an error.
func verify(args []string, out io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	cfg.flags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: portald verify [--data DIR] FILE.pdf")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	ctx := context.Background()
	d, err := cfg.openExisting(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	roots, err := cfg.tsaRootPool()
	if err != nil {
		return err
	}
	v, err := sealing.Verify(ctx, d, f, roots)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	switch {
	case !v.Intact:
		return fmt.Errorf("%s: NOT intact: %s", fs.Arg(0), v.Reason)
	case v.Firm == "":
		return fmt.Errorf("%s: the signature is intact, but it was not sealed by a firm of this portal (signer %q)",
			fs.Arg(0), v.Signer.Subject.String())
	}
	fmt.Fprintf(out, "%s: intact, sealed by %s", fs.Arg(0), v.Firm)
	if !v.SignedAt.IsZero() {
		fmt.Fprintf(out, " on %s", v.SignedAt.UTC().Format(time.RFC3339))
	}
	fmt.Fprintln(out)
	return nil
}

func (c *config) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.addr, "addr", env("PORTALD_ADDR", "127.0.0.1:8080"), "listen address")
	fs.StringVar(&c.data, "data", env("PORTALD_DATA", "data"), "data directory")
	fs.StringVar(&c.db, "db", env("PORTALD_DB", ""), "SQLite database file (default DATA/portal.db)")
	fs.StringVar(&c.baseURL, "base-url", env("PORTALD_BASE_URL", ""), "public base URL (default http://ADDR)")
	fs.StringVar(&c.smtp.Host, "smtp-host", env("PORTALD_SMTP_HOST", ""), "SMTP server; empty: mail stays queued")
	fs.IntVar(&c.smtp.Port, "smtp-port", envInt("PORTALD_SMTP_PORT", 587), "SMTP port")
	fs.StringVar(&c.smtp.Username, "smtp-user", env("PORTALD_SMTP_USER", ""), "SMTP user name")
	fs.StringVar(&c.smtp.Password, "smtp-password", env("PORTALD_SMTP_PASSWORD", ""), "SMTP password (prefer the environment)")
	fs.StringVar(&c.smtp.From, "smtp-from", env("PORTALD_SMTP_FROM", ""), "sender address of portal mail")
	fs.StringVar(&c.smtp.TLS, "smtp-tls", env("PORTALD_SMTP_TLS", "starttls"), "starttls, tls or none")
	fs.StringVar(&c.keyFile, "key-file", env("PORTALD_KEY_FILE", ""), "32-byte key sealing authenticator secrets (default DATA/secret.key, made on first start)")
	fs.StringVar(&c.trustedProxies, "trusted-proxies", env("PORTALD_TRUSTED_PROXIES", ""), "reverse proxies whose X-Forwarded-For names the client (addresses or CIDRs, comma-separated)")
	fs.DurationVar(&c.inviteTTL, "invite-ttl", envDuration("PORTALD_INVITE_TTL", 14*24*time.Hour), "how long an invitation link works")
	fs.Int64Var(&c.maxFileSize, "max-file-size", int64(envInt("PORTALD_MAX_FILE_SIZE", int(api.MaxFileSize))), "largest file a desktop or a client may upload, in bytes")
	fs.StringVar(&c.sms.BaseURL, "sms-url", env("PORTALD_SMS_URL", "https://api.twilio.com"), "Twilio-style SMS API base URL")
	fs.StringVar(&c.sms.AccountSID, "sms-account", env("PORTALD_SMS_ACCOUNT", ""), "SMS account id; empty: text messages are not offered")
	fs.StringVar(&c.sms.AuthToken, "sms-token", env("PORTALD_SMS_TOKEN", ""), "SMS auth token (prefer the environment)")
	fs.StringVar(&c.sms.From, "sms-from", env("PORTALD_SMS_FROM", ""), "SMS sender number")
	fs.StringVar(&c.tsa, "tsa-url", env("PORTALD_TSA_URL", ""), "RFC 3161 timestamp authority for sealed PDFs; empty: none")
	fs.IntVar(&c.tsaTries, "tsa-tries", envInt("PORTALD_TSA_TRIES", 3), "tries of the timestamp authority before a seal waits for the next round")
	fs.StringVar(&c.tsaRoots, "tsa-roots", env("PORTALD_TSA_ROOTS", ""), "PEM file of roots a private timestamp authority chains to (the system's are trusted anyway)")
}

// sealing is the worker that seals signed packets, with the portal's key for firm keys; a
// command that only manages certificates passes no blob store.
func (c *config) sealing(d *db.DB, store *blobs.Store, log *slog.Logger) (*sealing.Worker, error) {
	keys, err := c.sealer()
	if err != nil {
		return nil, err
	}
	roots, err := c.tsaRootPool()
	if err != nil {
		return nil, err
	}
	return &sealing.Worker{DB: d, Blobs: store, Keys: keys, Log: log, TSA: c.tsa, TSATries: c.tsaTries, TSARoots: roots}, nil
}

// tsaRootPool reads --tsa-roots; nil when none is given.
func (c *config) tsaRootPool() (*x509.CertPool, error) {
	if c.tsaRoots == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(c.tsaRoots)
	if err != nil {
		return nil, fmt.Errorf("--tsa-roots: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("--tsa-roots: no PEM certificate in %s", c.tsaRoots)
	}
	return pool, nil
}

func envDuration(key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(key)); err == nil {
		return d
	}
	return def
}

// sealer loads the key that encrypts authenticator secrets, making it on first start.
func (c *config) sealer() (*auth.Sealer, error) {
	path := c.keyFile
	if path == "" {
		path = filepath.Join(c.data, "secret.key")
	}
	key, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key = make([]byte, 32)
		rand.Read(key)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("key file: %w", err)
		}
		if _, err := f.Write(key); err != nil {
			f.Close()
			return nil, fmt.Errorf("key file: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("key file: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	s, err := auth.NewSealer(key)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return s, nil
}

func (c *config) open(ctx context.Context) (*db.DB, error) {
	if err := os.MkdirAll(c.data, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	path := c.db
	if path == "" {
		path = filepath.Join(c.data, "portal.db")
	}
	if strings.HasPrefix(path, "postgres://") || strings.HasPrefix(path, "postgresql://") {
		return nil, errors.New("PostgreSQL is not supported yet; use a SQLite file")
	}
	return db.OpenSQLite(ctx, path)
}

// openExisting opens the portal database a check or a change of an existing firm needs:
// one that is not there is an error, never a new empty portal in the current folder.
func (c *config) openExisting(ctx context.Context) (*db.DB, error) {
	path := c.db
	if path == "" {
		path = filepath.Join(c.data, "portal.db")
	}
	if _, err := os.Stat(path); err != nil && !strings.Contains(path, "://") {
		return nil, fmt.Errorf("no portal database at %s: pass --data DIR, the folder portald serve uses", path)
	}
	return c.open(ctx)
}

func (c *config) publicURL() string {
	if c.baseURL != "" {
		return strings.TrimRight(c.baseURL, "/")
	}
	return "http://" + c.addr
}

func envInt(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return n
	}
	return def
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func serve(args []string) error {
	var cfg config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg.flags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	d, err := cfg.open(ctx)
	if err != nil {
		return err
	}
	defer d.Close()

	if err := peer.Trust(cfg.trustedProxies); err != nil {
		return err
	}
	if cfg.inviteTTL < time.Hour {
		return errors.New("--invite-ttl must be at least 1h")
	}
	sealer, err := cfg.sealer()
	if err != nil {
		return err
	}
	var texts sms.Sender
	if cfg.sms.AccountSID != "" {
		if cfg.sms.From == "" || cfg.sms.AuthToken == "" {
			return errors.New("--sms-token and --sms-from are required with --sms-account")
		}
		texts = &cfg.sms
	}
	if cfg.maxFileSize <= 0 || cfg.maxFileSize > api.MaxFileSize {
		return fmt.Errorf("--max-file-size must be between 1 and %d", api.MaxFileSize)
	}
	store, err := blobs.Open(filepath.Join(cfg.data, "files"))
	if err != nil {
		return err
	}
	go store.RunSweeper(ctx, log)
	seals, err := cfg.sealing(d, store, log)
	if err != nil {
		return err
	}
	go seals.Run(ctx)
	pages, err := web.New(web.Config{DB: d, Log: log, BaseURL: cfg.publicURL(), SMS: texts, Sealer: sealer,
		Blobs: store, MaxFileSize: cfg.maxFileSize, Sealing: seals})
	if err != nil {
		return err
	}
	if cfg.smtp.Host != "" {
		if cfg.smtp.From == "" {
			return errors.New("--smtp-from is required with --smtp-host")
		}
		wake := make(chan struct{}, 1)
		d.MailQueued = func() {
			select {
			case wake <- struct{}{}:
			default:
			}
		}
		go mail.Run(ctx, d, &mail.SMTP{Config: cfg.smtp}, pages, wake, time.Now)
		log.Info("sending mail", "smtp", fmt.Sprintf("%s:%d", cfg.smtp.Host, cfg.smtp.Port), "from", cfg.smtp.From)
	} else {
		log.Warn("no --smtp-host: mail is queued in the database but not sent")
	}
	srv := server.New(d, log)
	srv.Pages = pages.Handler()
	srv.Blobs, srv.MaxFileSize, srv.Seals, srv.InviteTTL = store, cfg.maxFileSize, seals, cfg.inviteTTL
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	// No WriteTimeout: long polls hold their answer open for up to api.MaxWait.
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	log.Info("portald listening", "addr", ln.Addr().String(), "url", cfg.publicURL(), "data", cfg.data)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("portald shutting down")
	srv.Stopping()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return hs.Shutdown(shutdownCtx)
}

func createFirm(args []string) error {
	var cfg config
	var name, email, adminName, password string
	fs := flag.NewFlagSet("firm create", flag.ContinueOnError)
	cfg.flags(fs)
	fs.StringVar(&name, "name", "", "the firm's name")
	fs.StringVar(&email, "admin-email", "", "email of the firm's first staff user")
	fs.StringVar(&adminName, "admin-name", "", "name of the first staff user (default: from the email)")
	fs.StringVar(&password, "admin-password", "", "password (default: a random one, printed)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return errors.New("--name is required")
	}
	if a, err := netmail.ParseAddress(email); err != nil || a.Address != email {
		return fmt.Errorf("--admin-email %q is not a valid email address", email)
	}
	if password == "" {
		password = rand.Text()
	}
	if len(password) < 10 {
		return errors.New("--admin-password must have at least 10 characters")
	}
	if adminName == "" {
		adminName, _, _ = strings.Cut(email, "@")
	}
	ctx := context.Background()
	d, err := cfg.open(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	firm, staff, err := d.CreateFirm(ctx, name, api.Staff{Name: adminName, Email: email}, hash)
	if errors.Is(err, db.ErrExists) {
		return fmt.Errorf("a staff user with email %s already exists", email)
	}
	if err != nil {
		return err
	}
	seals, err := cfg.sealing(d, nil, slog.Default()) // certificates only: no blobs
	if err != nil {
		return err
	}
	if err := seals.NewFirmSeal(ctx, firm.ID, firm.Name); err != nil {
		return fmt.Errorf("the firm's sealing certificate: %w", err)
	}
	fmt.Printf("Created firm %q (id %s).\n", firm.Name, firm.ID)
	fmt.Printf("Sign in from the Portico desktop app (Settings) with:\n")
	fmt.Printf("  Portal URL: %s\n  Email:      %s\n  Password:   %s\n", cfg.publicURL(), staff.Email, password)
	return nil
}
