package invites

import (
	"context"
	"strings"

	"portico/backend/api"
	"portico/backend/desktop/store"
)

// PortalFilter narrows Manage Client Portals.
const (
	FilterAll     = "all"
	FilterWith    = "with"    // invited or active
	FilterWithout = "without" // never invited, or every person's access removed
)

// PortalRow is one client in Manage Client Portals.
type PortalRow struct {
	ClientID     string `json:"clientId"`
	Name         string `json:"name"`
	Email        string `json:"email"` // the primary contact's, whom a bulk invite goes to
	PortalStatus string `json:"portalStatus"`
}

// Portals lists active clients with their portal state.
func (s *Service) Portals(ctx context.Context, filter, search string) ([]PortalRow, error) {
	list, err := s.Store.ListClients(ctx, search, false, 1_000_000)
	if err != nil {
		return nil, err
	}
	out := make([]PortalRow, 0, len(list))
	for _, c := range list {
		with := c.PortalStatus == api.PortalInvited || c.PortalStatus == api.PortalActive
		if (filter == FilterWith && !with) || (filter == FilterWithout && with) {
			continue
		}
		out = append(out, PortalRow{ClientID: c.ID, Name: c.Name, Email: c.Email, PortalStatus: c.PortalStatus})
	}
	return out, nil
}

// BulkResult says what Send Invite did for a selection.
type BulkResult struct {
	Queued  int      `json:"queued"`
	Skipped []string `json:"skipped"` // clients whose primary contact has no (valid) email
}

// SendBulk invites the primary contact of each client with the default template, in one
// transaction: the whole selection is queued, or nothing is.
func (s *Service) SendBulk(ctx context.Context, clientIDs []string) (BulkResult, error) {
	res := BulkResult{Skipped: []string{}}
	if len(clientIDs) == 0 {
		return res, errNoSelection
	}
	tpl, err := s.Template(ctx, "")
	if err != nil {
		return res, err
	}
	err = s.Store.WithTx(ctx, func(tx *store.Tx) error {
		res = BulkResult{Skipped: []string{}}
		for _, id := range clientIDs {
			c, err := tx.Client(ctx, id)
			if err != nil {
				return err
			}
			var primary *store.Person
			for i := range c.People {
				if c.People[i].Role == api.RolePrimary {
					primary = &c.People[i]
				}
			}
			if primary == nil || !validEmail(primary.Email) || strings.TrimSpace(primary.Name) == "" {
				res.Skipped = append(res.Skipped, c.Name)
				continue
			}
			inv := api.Invite{People: []api.Invitee{{PersonID: primary.ID, Name: primary.Name, Email: primary.Email}},
				Subject: tpl.Subject, Message: tpl.Body}
			if err := s.queue(ctx, tx, id, inv); err != nil {
				return err
			}
			res.Queued++
		}
		return nil
	})
	if err != nil {
		return BulkResult{}, err
	}
	s.wake()
	return res, nil
}
