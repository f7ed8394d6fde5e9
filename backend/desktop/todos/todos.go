// Package todos is the staff side of a client's to-dos: writing them (with their outbox op)
// and applying what the portal reports, such as a client marking one done.
package todos

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/store"
)

type Service struct {
	Store *store.Store
	Now   func() time.Time
	Wake  func()
}

// Input is a to-do as staff edit it; ID "" creates one.
type Input struct {
	ID          string `json:"id"`
	ClientID    string `json:"clientId"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Due         string `json:"due"`
	Done        bool   `json:"done"`
}

func (s *Service) List(ctx context.Context, clientID string) ([]store.Todo, error) {
	return s.Store.TodosOfClient(ctx, clientID)
}

// Save creates or updates a to-do. Marking it done (or open again) here is staff's doing.
func (s *Service) Save(ctx context.Context, in Input) (store.Todo, error) {
	title := strings.Join(strings.Fields(in.Title), " ")
	switch {
	case title == "":
		return store.Todo{}, invalid.New("give the to-do a title")
	case len(title) > 200:
		return store.Todo{}, invalid.New("the title is too long (at most 200 characters)")
	case len(in.Description) > 10000:
		return store.Todo{}, invalid.New("the description is too long (at most 10,000 characters)")
	}
	if in.Due != "" {
		if _, err := time.Parse(time.DateOnly, in.Due); err != nil {
			return store.Todo{}, invalid.New("the due date %q is not a date", in.Due)
		}
	}
	var td store.Todo
	err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
		if in.ID != "" {
			old, err := tx.Todo(ctx, in.ID)
			if err != nil {
				return fmt.Errorf("to-do %s: %w", in.ID, err)
			}
			td = old
		} else {
			if _, err := tx.Client(ctx, in.ClientID); err != nil {
				return fmt.Errorf("client %s: %w", in.ClientID, err)
			}
			td = store.Todo{ID: ulid.Make().String(), Todo: api.Todo{ClientID: in.ClientID, State: api.TodoOpen}}
		}
		td.Title, td.Description, td.Due = title, strings.TrimSpace(in.Description), in.Due
		switch {
		case in.Done && td.State != api.TodoDone:
			now := s.Now().UTC()
			td.State, td.DoneAt, td.DoneBy = api.TodoDone, &now, "staff"
		case !in.Done && td.State == api.TodoDone:
			td.State, td.DoneAt, td.DoneBy = api.TodoOpen, nil, ""
		}
		return s.put(ctx, tx, &td)
	})
	if err != nil {
		return store.Todo{}, err
	}
	s.wake()
	return td, nil
}

// Delete removes a to-do from the client's portal.
func (s *Service) Delete(ctx context.Context, id string) error {
	err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
		td, err := tx.Todo(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		td.Deleted = true
		return s.put(ctx, tx, &td)
	})
	if err == nil {
		s.wake()
	}
	return err
}

func (s *Service) put(ctx context.Context, tx *store.Tx, td *store.Todo) error {
	td.UpdatedAt = s.Now()
	if err := tx.PutTodo(ctx, *td); err != nil {
		return err
	}
	return tx.Queue(ctx, api.KindTodoPut, td.ID, td.Todo, td.UpdatedAt)
}

// Apply writes a to-do from the portal's feed.
func (s *Service) Apply(ctx context.Context, tx *store.Tx, ch api.Change) error {
	var t api.Todo
	if err := json.Unmarshal(ch.Data, &t); err != nil {
		return fmt.Errorf("change %d: %w", ch.Seq, err)
	}
	return tx.PutTodo(ctx, store.Todo{ID: ch.EntityID, Todo: t, UpdatedAt: ch.At})
}

func (s *Service) wake() {
	if s.Wake != nil {
		s.Wake()
	}
}
