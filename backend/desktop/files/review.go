package files

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"portico/backend/api"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/store"
)

// A firm that already keeps a folder per client points Portico at that tree. Nothing in a
// folder syncs until staff said whose it is: the app suggests a client by name, and staff
// accept, change or skip each one.

// settingSkipped lists the library's top-level folders staff said belong to no client.
const settingSkipped = "library.skipped"

// Match is a top-level folder of the library that no client has yet.
type Match struct {
	Folder     string `json:"folder"`
	ClientID   string `json:"clientId"` // the suggestion; "" when no client's name fits
	ClientName string `json:"clientName"`
	Files      int    `json:"files"` // what it holds, so staff see what is at stake
}

// Decision is staff's answer for one folder: its client, or "" to leave it to the firm.
type Decision struct {
	Folder   string `json:"folder"`
	ClientID string `json:"clientId"`
}

// Unmatched lists the folders waiting for review, each with the client it looks like.
func (s *Service) Unmatched(ctx context.Context) ([]Match, error) {
	if err := s.loadFolders(ctx); err != nil {
		return nil, err
	}
	skipped, err := s.skipped(ctx)
	if err != nil {
		return nil, err
	}
	unclaimed, err := s.unclaimedDirs(s.takenNames(), skipped)
	if err != nil {
		return nil, err
	}
	free, err := s.Store.ClientsWithoutFolder(ctx)
	if err != nil {
		return nil, err
	}
	out := []Match{}
	for _, name := range unclaimed {
		m := Match{Folder: name, Files: countFiles(filepath.Join(s.Root, name))}
		if c, ok := suggest(name, free); ok {
			m.ClientID, m.ClientName = c.ClientID, c.Name
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Match) int { return strings.Compare(strings.ToLower(a.Folder), strings.ToLower(b.Folder)) })
	return out, nil
}

// suggestFolder finds the unclaimed folder named after a client.
func suggestFolder(c store.ClientFolder, unclaimed map[string]string) (string, bool) {
	if len(unclaimed) == 0 {
		return "", false
	}
	if name, ok := unclaimed[strings.ToLower(api.SafeName(c.Name))]; ok {
		return name, true
	}
	want := words(c.Name)
	for _, name := range unclaimed {
		if slices.Equal(words(name), want) {
			return name, true
		}
	}
	return "", false
}

// suggest finds the client a folder is named after: the same words in any order, ignoring
// case, accents are kept, punctuation is not ("Smith, John" is John Smith's).
func suggest(folder string, clients []store.ClientFolder) (store.ClientFolder, bool) {
	want := words(folder)
	for _, c := range clients {
		if strings.EqualFold(api.SafeName(c.Name), folder) || slices.Equal(words(c.Name), want) {
			return c, true
		}
	}
	return store.ClientFolder{}, false
}

func words(s string) []string {
	w := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	slices.Sort(w)
	return w
}

func countFiles(dir string) int {
	n := 0
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && !skipped(d.Name()) {
			n++
		}
		return nil
	})
	return n
}

func (s *Service) skipped(ctx context.Context) (map[string]bool, error) {
	v, err := s.Store.Setting(ctx, settingSkipped)
	if err != nil {
		return nil, err
	}
	var list []string
	if v != "" {
		if err := json.Unmarshal([]byte(v), &list); err != nil {
			return nil, err
		}
	}
	m := map[string]bool{}
	for _, f := range list {
		m[strings.ToLower(f)] = true
	}
	return m, nil
}

// Match records staff's decisions, then scans the folders given to clients: only now does
// what they hold reach the portal.
func (s *Service) Match(ctx context.Context, decisions []Decision) error {
	skipped, err := s.skipped(ctx)
	if err != nil {
		return err
	}
	var scan []string
	err = s.Store.WithTx(ctx, func(tx *store.Tx) error {
		for _, d := range decisions {
			if d.Folder == "" || strings.ContainsAny(d.Folder, `/\`) || strings.HasPrefix(d.Folder, ".") {
				return invalid.New("%q is not a folder of the library", d.Folder)
			}
			if info, err := os.Stat(filepath.Join(s.Root, d.Folder)); err != nil || !info.IsDir() {
				return invalid.New("the folder %q is not in the library any more", d.Folder)
			}
			if d.ClientID == "" {
				skipped[strings.ToLower(d.Folder)] = true
				continue
			}
			if _, err := tx.Client(ctx, d.ClientID); err != nil {
				return invalid.New("there is no such client for %q", d.Folder)
			}
			ok, err := tx.SetClientFolder(ctx, d.ClientID, d.Folder)
			if err != nil {
				return err
			}
			if !ok {
				return invalid.New("that client has a folder already, or %q belongs to another client", d.Folder)
			}
			delete(skipped, strings.ToLower(d.Folder))
			scan = append(scan, d.Folder)
		}
		list := make([]string, 0, len(skipped))
		for f := range skipped {
			list = append(list, f)
		}
		slices.Sort(list)
		b, _ := json.Marshal(list)
		return tx.SetSetting(ctx, settingSkipped, string(b))
	})
	if err != nil {
		return err
	}
	if err := s.loadFolders(ctx); err != nil {
		return err
	}
	if err := makeDirs(s.Root, scan); err != nil {
		return err
	}
	if err := s.EnsureFolders(ctx); err != nil {
		return err
	}
	if err := s.Scan(ctx, scan); err != nil {
		return err
	}
	s.kickSoon()
	return nil
}
