// Package clients is the desktop's client book: validation, writes with their outbox ops,
// and applying the portal's changes to it.
package clients

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/store"
)

// Input is a client record as staff submit it.
type Input struct {
	Name   string        `json:"name"`
	People []PersonInput `json:"people"`
}

type PersonInput struct {
	ID    string `json:"id,omitempty"` // empty for a new person
	Role  string `json:"role"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// Service writes clients. Wake, when set, is called after each committed write so the
// sync engine pushes without waiting for its next tick.
type Service struct {
	Store *store.Store
	Now   func() time.Time
	Wake  func()
}

const listLimit = 500

func (s *Service) List(ctx context.Context, search string, includeArchived bool) ([]store.ClientSummary, error) {
	return s.Store.ListClients(ctx, search, includeArchived, listLimit)
}

func (s *Service) Get(ctx context.Context, id string) (store.Client, error) {
	return s.Store.Client(ctx, id)
}

func (s *Service) Create(ctx context.Context, in Input) (store.Client, error) {
	now := s.Now()
	c := store.Client{ID: ulid.Make().String(), CreatedAt: now}
	return s.write(ctx, c, in)
}

func (s *Service) Update(ctx context.Context, id string, in Input) (store.Client, error) {
	return s.write(ctx, store.Client{ID: id}, in)
}

// SetArchived archives or restores a client; nothing of it is deleted.
func (s *Service) SetArchived(ctx context.Context, id string, archived bool) (store.Client, error) {
	var out store.Client
	err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
		c, err := tx.Client(ctx, id)
		if err != nil {
			return err
		}
		c.Archived = archived
		c.UpdatedAt = s.Now()
		out = c
		return s.put(ctx, tx, c)
	})
	if err == nil {
		s.wake()
	}
	return out, err
}

func (s *Service) write(ctx context.Context, c store.Client, in Input) (store.Client, error) {
	name, people, err := normalize(in)
	if err != nil {
		return store.Client{}, err
	}
	// The portal's rule, so what is saved here is never refused at sync.
	if err := toWire(store.Client{Name: name, People: people}).Check(); err != nil {
		return store.Client{}, err
	}
	err = s.Store.WithTx(ctx, func(tx *store.Tx) error {
		// An existing record is read inside the write, so a change pulled in between (an
		// archive from another desktop, say) is not written back over.
		if c.CreatedAt.IsZero() {
			current, err := tx.Client(ctx, c.ID)
			if err != nil {
				return err
			}
			c = current
		}
		c.Name, c.People, c.UpdatedAt = name, people, s.Now()
		for _, p := range c.People {
			if p.Email == "" {
				continue
			}
			owner, person, found, err := tx.EmailOwner(ctx, p.Email, c.ID)
			if err != nil {
				return err
			}
			if found {
				return invalid.New("%s is already used by %s (client %s)", p.Email, person, owner)
			}
		}
		return s.put(ctx, tx, c)
	})
	if err != nil {
		return store.Client{}, err
	}
	s.wake()
	if c.PortalStatus == "" {
		c.PortalStatus = "none"
	}
	return c, nil
}

// put writes the record and its op in the caller's transaction.
func (s *Service) put(ctx context.Context, tx *store.Tx, c store.Client) error {
	if err := tx.PutClient(ctx, c); err != nil {
		return err
	}
	return tx.Queue(ctx, api.KindClientPut, c.ID, toWire(c), c.UpdatedAt)
}

func (s *Service) wake() {
	if s.Wake != nil {
		s.Wake()
	}
}

// Apply writes a change from the portal's feed. The caller has checked that no local write
// to the same client is still waiting to be pushed.
func (s *Service) Apply(ctx context.Context, tx *store.Tx, ch api.Change) error {
	if ch.Kind != api.KindClientPut {
		return fmt.Errorf("clients: unknown change kind %q", ch.Kind)
	}
	var w api.Client
	if err := json.Unmarshal(ch.Data, &w); err != nil {
		return fmt.Errorf("change %d: %w", ch.Seq, err)
	}
	c, err := tx.Client(ctx, ch.EntityID)
	if errors.Is(err, store.ErrNotFound) {
		c = store.Client{ID: ch.EntityID, CreatedAt: ch.At}
	} else if err != nil {
		return err
	}
	people := make([]store.Person, len(w.People))
	for i, p := range w.People {
		people[i] = store.Person(p)
	}
	// A desktop's own writes come back through the feed: leave an identical record alone.
	if err == nil && c.Name == w.Name && c.Archived == w.Archived && slices.Equal(c.People, people) {
		return nil
	}
	c.Name, c.Archived, c.UpdatedAt, c.People = w.Name, w.Archived, ch.At, people
	return tx.PutClient(ctx, c)
}

func toWire(c store.Client) api.Client {
	w := api.Client{Name: c.Name, Archived: c.Archived, People: make([]api.Person, len(c.People))}
	for i, p := range c.People {
		w.People[i] = api.Person(p)
	}
	return w
}

// normalize trims and checks an input and gives every new person an id.
func normalize(in Input) (string, []store.Person, error) {
	name := strings.Join(strings.Fields(in.Name), " ")
	if name == "" {
		return "", nil, invalid.New("client name is required")
	}
	if len(name) > 200 {
		return "", nil, invalid.New("client name is too long (at most 200 characters)")
	}
	people := make([]store.Person, 0, len(in.People))
	seen := map[string]int{}
	roles := map[string]int{}
	n := 0
	for _, p := range in.People {
		if strings.TrimSpace(p.Name+p.Email+p.Phone) == "" {
			continue // a row left blank is no person
		}
		n++
		person := store.Person{
			ID:    p.ID,
			Role:  p.Role,
			Name:  strings.Join(strings.Fields(p.Name), " "),
			Email: strings.TrimSpace(p.Email),
			Phone: strings.TrimSpace(p.Phone),
		}
		if person.Role == "" {
			person.Role = api.RoleContact
		}
		switch person.Role {
		case api.RolePrimary, api.RoleSpouse:
			if roles[person.Role]++; roles[person.Role] > 1 {
				return "", nil, invalid.New("a client has at most one %s", roleName(person.Role))
			}
		case api.RoleContact:
		default:
			return "", nil, invalid.New("person %d: unknown role %q", n, p.Role)
		}
		if person.Name == "" {
			return "", nil, invalid.New("person %d: name is required", n)
		}
		if person.Email != "" {
			email, err := checkEmail(person.Email)
			if err != nil {
				return "", nil, invalid.New("person %d (%s): %v", n, person.Name, err)
			}
			person.Email = email
			key := strings.ToLower(email)
			if j, dup := seen[key]; dup {
				return "", nil, invalid.New("%s is given for both person %d and person %d", email, j, n)
			}
			seen[key] = n
		}
		if person.Phone != "" {
			if err := checkPhone(person.Phone); err != nil {
				return "", nil, invalid.New("person %d (%s): %v", n, person.Name, err)
			}
		}
		if person.ID == "" {
			person.ID = ulid.Make().String()
		}
		people = append(people, person)
	}
	return name, people, nil
}

func roleName(role string) string {
	if role == api.RolePrimary {
		return "primary contact"
	}
	return role
}

// checkEmail is the contract's one rule, returning the address for the caller's convenience.
func checkEmail(s string) (string, error) {
	if err := api.CheckEmail(s); err != nil {
		return "", err
	}
	return s, nil
}

func checkPhone(s string) error {
	n := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n++
		case strings.ContainsRune(" +-().", r):
		default:
			return fmt.Errorf("%q is not a valid phone number", s)
		}
	}
	if n < 7 || n > 15 {
		return fmt.Errorf("%q is not a valid phone number (7 to 15 digits)", s)
	}
	return nil
}
