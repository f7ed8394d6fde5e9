// Package invitetext is the invitation email template both sides share: the desktop checks
// what staff write in Settings, the portal fills it in for each person it invites.
//
// A template is plain text with placeholders in braces: {name} (the invited person), {client}
// (the client's name), {firm} (the firm's name) and {link} (the invitation link).
package invitetext

import (
	"fmt"
	"regexp"
	"strings"
)

// The template a firm starts with.
const (
	DefaultSubject = "{firm} invites you to your client portal"
	DefaultBody    = `Hello {name},

{firm} has set up a secure client portal for {client}. There you can exchange documents with us, sign, and see what we need from you.

Open this link to create your password (it works once and expires in 14 days):
{link}

If you did not expect this email, you can ignore it.

{firm}`
)

// Limits on what staff write.
const (
	MaxSubject = 200
	MaxBody    = 10000
)

// Vars are the values of the placeholders.
type Vars struct {
	Name, Client, Firm, Link string
}

var placeholder = regexp.MustCompile(`\{([a-zA-Z_]+)\}`)

var known = map[string]bool{"name": true, "client": true, "firm": true, "link": true}

// Check tells what is wrong with a subject and body, in words for staff.
func Check(subject, body string) error {
	switch {
	case strings.TrimSpace(subject) == "":
		return fmt.Errorf("the subject is empty")
	case len(subject) > MaxSubject:
		return fmt.Errorf("the subject is too long (at most %d characters)", MaxSubject)
	case strings.ContainsAny(subject, "\r\n"):
		return fmt.Errorf("the subject must be one line")
	case strings.TrimSpace(body) == "":
		return fmt.Errorf("the message is empty")
	case len(body) > MaxBody:
		return fmt.Errorf("the message is too long (at most %d characters)", MaxBody)
	}
	for _, text := range []string{subject, body} {
		for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
			if !known[m[1]] {
				return fmt.Errorf("unknown placeholder %s: use {name}, {client}, {firm} or {link}", m[0])
			}
		}
	}
	if strings.Contains(subject, "{link}") {
		return fmt.Errorf("put {link} in the message, not the subject")
	}
	return nil
}

// Render fills in the placeholders. A body without {link} gets the link appended, so an
// invitation can never go out without a way to accept it.
func Render(text string, v Vars, isBody bool) string {
	out := strings.NewReplacer("{name}", v.Name, "{client}", v.Client, "{firm}", v.Firm, "{link}", v.Link).Replace(text)
	if isBody && !strings.Contains(text, "{link}") {
		out = strings.TrimRight(out, "\n") + "\n\n" + v.Link + "\n"
	}
	return out
}
