package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"portico/backend/api"
)

// PortalUser is a person with portal access to a client, as the portal last reported.
// RemovedHere is set when staff removed their access to the client asked about.
type PortalUser struct {
	ID string `json:"id"`
	api.PortalUser
	RemovedHere bool `json:"removedHere"`
}

// PutPortalUser stores the portal's view of a user and recomputes the portal status of
// every client the user has (or had) access to.
func (t *Tx) PutPortalUser(ctx context.Context, id string, u api.PortalUser, at time.Time) error {
	data, err := json.Marshal(u)
	if err != nil {
		return err
	}
	before, err := t.clientsOfUser(ctx, id)
	if err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO portal_users (id, email, name, state, data, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name,
		state = excluded.state, data = excluded.data, updated_at = excluded.updated_at`,
		id, u.Email, u.Name, u.State, string(data), formatTime(at)); err != nil {
		return fmt.Errorf("portal user %s: %w", u.Email, err)
	}
	if _, err := t.tx.ExecContext(ctx, `DELETE FROM portal_user_clients WHERE user_id = ?`, id); err != nil {
		return err
	}
	for _, list := range []struct {
		ids     []string
		removed bool
	}{{u.ClientIDs, false}, {u.RemovedIDs, true}} {
		for _, c := range list.ids {
			if _, err := t.tx.ExecContext(ctx, `INSERT INTO portal_user_clients (user_id, client_id, removed) VALUES (?, ?, ?)
				ON CONFLICT DO UPDATE SET removed = excluded.removed`, id, c, list.removed); err != nil {
				return err
			}
		}
	}
	for _, c := range append(append(before, u.ClientIDs...), u.RemovedIDs...) {
		if err := t.refreshPortalStatus(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) clientsOfUser(ctx context.Context, userID string) ([]string, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT client_id FROM portal_user_clients WHERE user_id = ?`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// refreshPortalStatus sets a client's portal status from its people's: active when anyone
// can sign in, invited when someone was invited, removed when all were removed.
func (t *Tx) refreshPortalStatus(ctx context.Context, clientID string) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE clients SET portal_status = COALESCE((
		SELECT CASE WHEN SUM(u.state = 'active' AND NOT uc.removed) > 0 THEN 'active'
		            WHEN SUM(u.state = 'invited' AND NOT uc.removed) > 0 THEN 'invited'
		            ELSE 'removed' END
		FROM portal_user_clients uc JOIN portal_users u ON u.id = uc.user_id WHERE uc.client_id = ?), 'none')
		WHERE id = ?`, clientID, clientID)
	return err
}

// PortalUsersOfClient lists the people with portal access to a client, by name.
func (s *Store) PortalUsersOfClient(ctx context.Context, clientID string) ([]PortalUser, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT u.id, u.data, uc.removed FROM portal_users u
		JOIN portal_user_clients uc ON uc.user_id = u.id WHERE uc.client_id = ? ORDER BY u.name COLLATE NOCASE`, clientID)
	if err != nil {
		return nil, fmt.Errorf("portal users: %w", err)
	}
	defer rows.Close()
	out := []PortalUser{}
	for rows.Next() {
		var u PortalUser
		var data string
		if err := rows.Scan(&u.ID, &data, &u.RemovedHere); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &u.PortalUser); err != nil {
			return nil, fmt.Errorf("portal user %s: %w", u.ID, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// AuditEntry is one security event of a portal user.
type AuditEntry struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Event     string    `json:"event"`
	Detail    string    `json:"detail"`
	IP        string    `json:"ip"`
	UserAgent string    `json:"userAgent"`
	At        time.Time `json:"at" ts_type:"string"`
}

// PutAudit stores an event from the feed; a repeat is ignored.
func (t *Tx) PutAudit(ctx context.Context, id string, e api.AuditEvent) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO portal_audit (id, user_id, email, event, detail, ip, user_agent, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		id, e.UserID, e.Email, e.Event, e.Detail, e.IP, e.UserAgent, formatTime(e.At))
	return err
}

// AuditOfClient returns the newest events of the people with access to a client.
func (s *Store) AuditOfClient(ctx context.Context, clientID string, limit int) ([]AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.email, a.event, a.detail, a.ip, a.user_agent, a.at
		FROM portal_audit a JOIN portal_user_clients uc ON uc.user_id = a.user_id
		WHERE uc.client_id = ? ORDER BY a.at DESC, a.id DESC LIMIT ?`, clientID, limit)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &e.Email, &e.Event, &e.Detail, &e.IP, &e.UserAgent, &at); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// PendingOpsOf returns the ops of a kind about an entity that have not reached the portal.
func (s *Store) PendingOpsOf(ctx context.Context, kind, entityID string) ([]Op, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, id, kind, entity_id, data, created_at, attempts, last_error
		FROM outbox WHERE state = 'pending' AND kind = ? AND entity_id = ? ORDER BY seq`, kind, entityID)
	if err != nil {
		return nil, fmt.Errorf("pending ops: %w", err)
	}
	defer rows.Close()
	var ops []Op
	for rows.Next() {
		var op Op
		var data, created string
		if err := rows.Scan(&op.Seq, &op.ID, &op.Kind, &op.EntityID, &data, &created, &op.Attempts, &op.LastError); err != nil {
			return nil, err
		}
		op.Data, op.CreatedAt = []byte(data), parseTime(created)
		ops = append(ops, op)
	}
	return ops, rows.Err()
}
