// Package helplinks is the firm's own help resources (its website, a how-to video), set in
// Settings and shown to clients on the portal's help page.
package helplinks

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"portico/backend/api"
	"portico/backend/desktop/store"
)

const settingKey = "help"

type Service struct {
	Store *store.Store
	Now   func() time.Time
	Wake  func()
}

func (s *Service) Get(ctx context.Context) (api.Help, error) {
	h := api.Help{Links: []api.HelpLink{}}
	text, err := s.Store.Setting(ctx, settingKey)
	if err != nil || text == "" {
		return h, err
	}
	err = json.Unmarshal([]byte(text), &h)
	return h, err
}

// Save checks the links (empty rows are dropped) and queues them for the portal.
func (s *Service) Save(ctx context.Context, h api.Help) (api.Help, error) {
	links := []api.HelpLink{}
	for _, l := range h.Links {
		l.Label, l.URL = strings.TrimSpace(l.Label), strings.TrimSpace(l.URL)
		if l.Label == "" && l.URL == "" {
			continue
		}
		links = append(links, l)
	}
	h.Links = links
	if err := h.Check(); err != nil {
		return h, err
	}
	data, err := json.Marshal(h)
	if err != nil {
		return h, err
	}
	err = s.Store.WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetSetting(ctx, settingKey, string(data)); err != nil {
			return err
		}
		return tx.Queue(ctx, api.KindHelpPut, api.HelpID, h, s.Now())
	})
	if err == nil && s.Wake != nil {
		s.Wake()
	}
	return h, err
}

// Apply writes links saved on another desktop.
func (s *Service) Apply(ctx context.Context, tx *store.Tx, ch api.Change) error {
	if ch.Kind != api.KindHelpPut {
		return fmt.Errorf("helplinks: unknown change kind %q", ch.Kind)
	}
	return tx.SetSetting(ctx, settingKey, string(ch.Data))
}
