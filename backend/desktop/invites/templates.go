package invites

import (
	"context"
	"errors"
	"strings"

	"github.com/oklog/ulid/v2"

	"portico/backend/desktop/invalid"
	"portico/backend/desktop/store"
	"portico/backend/invitetext"
)

// Templates lists the firm's invitation templates, making the default one on first use.
func (s *Service) Templates(ctx context.Context) ([]store.InviteTemplate, error) {
	if err := s.seed(ctx); err != nil {
		return nil, err
	}
	return s.Store.InviteTemplates(ctx)
}

// Template returns a template by id, or the default for "".
func (s *Service) Template(ctx context.Context, id string) (store.InviteTemplate, error) {
	if err := s.seed(ctx); err != nil {
		return store.InviteTemplate{}, err
	}
	t, err := s.Store.InviteTemplate(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return t, invalid.New("that template no longer exists; choose another")
	}
	return t, err
}

func (s *Service) seed(ctx context.Context) error {
	return s.Store.WithTx(ctx, func(tx *store.Tx) error {
		n, err := tx.CountInviteTemplates(ctx)
		if err != nil || n > 0 {
			return err
		}
		return tx.PutInviteTemplate(ctx, store.InviteTemplate{ID: ulid.Make().String(), Name: "Standard invitation",
			Subject: invitetext.DefaultSubject, Body: invitetext.DefaultBody, IsDefault: true, UpdatedAt: s.Now()})
	})
}

// SaveTemplate creates (empty id) or updates a template after checking its text.
func (s *Service) SaveTemplate(ctx context.Context, t store.InviteTemplate) (store.InviteTemplate, error) {
	t.Name = strings.Join(strings.Fields(t.Name), " ")
	t.Subject = strings.TrimSpace(t.Subject)
	switch {
	case t.Name == "":
		return t, invalid.New("give the template a name")
	case len(t.Name) > 100:
		return t, invalid.New("the template name is too long (at most 100 characters)")
	}
	if err := invitetext.Check(t.Subject, t.Body); err != nil {
		return t, invalid.New("%s", err.Error())
	}
	if err := s.seed(ctx); err != nil {
		return t, err
	}
	if t.ID == "" {
		t.ID = ulid.Make().String()
	} else if old, err := s.Store.InviteTemplate(ctx, t.ID); err == nil && old.IsDefault && !t.IsDefault {
		return t, invalid.New("make another template the default first")
	}
	t.UpdatedAt = s.Now()
	err := s.Store.WithTx(ctx, func(tx *store.Tx) error { return tx.PutInviteTemplate(ctx, t) })
	return t, err
}

// DeleteTemplate removes a template; the default one stays.
func (s *Service) DeleteTemplate(ctx context.Context, id string) error {
	t, err := s.Store.InviteTemplate(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if t.IsDefault {
		return invalid.New("the default template cannot be deleted; make another one the default first")
	}
	return s.Store.WithTx(ctx, func(tx *store.Tx) error { return tx.DeleteInviteTemplate(ctx, id) })
}
