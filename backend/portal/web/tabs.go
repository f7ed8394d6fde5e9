package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"portico/backend/portal/db"
)

// money shows cents as dollars: 123456 → $1,234.56.
func money(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	whole := fmt.Sprint(cents / 100)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s$%s.%02d", sign, b.String(), cents%100)
}

// day shows a YYYY-MM-DD date as "Mar 5, 2027"; anything else as it is.
func day(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format("Jan 2, 2006")
}

type todosData struct {
	Open, Done []db.Todo
	Today      string
}

func (w *Web) todos(rw http.ResponseWriter, r *http.Request, s db.Session) {
	list, err := w.DB.Todos(r.Context(), s.User, false, 0)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := todosData{Today: w.Now().Format(time.DateOnly)}
	for _, t := range list {
		if t.State == "done" {
			d.Done = append(d.Done, t)
		} else {
			d.Open = append(d.Open, t)
		}
	}
	notice := ""
	if r.URL.Query().Get("done") != "" {
		notice = "Marked done. " + s.User.FirmName + " can see it."
	}
	w.render(rw, r, http.StatusOK, "todos", page{Title: "To-Dos", User: &s.User, Notice: notice, Data: d})
}

func (w *Web) completeTodo(rw http.ResponseWriter, r *http.Request, s db.Session) {
	id := r.PathValue("id")
	if isMultipart(r) {
		// Files attached on the way: they are stored first, so a to-do is never done without them.
		if _, err := w.receive(rw, r, s, id); err != nil {
			if errors.Is(err, db.ErrNotFound) {
				w.notFound(rw, r, &s.User)
				return
			}
			var ue uploadError
			if errors.As(err, &ue) {
				w.render(rw, r, http.StatusUnprocessableEntity, "message", page{Title: "The to-do is not done yet", User: &s.User,
					Error: string(ue), Data: action{Href: "/todos", Label: "Back to To-Dos"}})
				return
			}
			w.fail(rw, r, err)
			return
		}
	}
	err := w.DB.CompleteTodo(r.Context(), s.User, id, event(r, "todo.done", id))
	if errors.Is(err, db.ErrNotFound) {
		w.notFound(rw, r, &s.User)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/todos?done="+id, http.StatusSeeOther)
}

func (w *Web) notFound(rw http.ResponseWriter, r *http.Request, u *db.User) {
	w.render(rw, r, http.StatusNotFound, "message", page{Title: "Not found", User: u,
		Error: "There is nothing here. It may have been removed, or the link is wrong."})
}

func (w *Web) billing(rw http.ResponseWriter, r *http.Request, s db.Session) {
	b, err := w.DB.Billing(r.Context(), s.User)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "billing", page{Title: "Billing", User: &s.User, Data: b})
}

func (w *Web) invoice(rw http.ResponseWriter, r *http.Request, s db.Session) {
	inv, err := w.DB.Invoice(r.Context(), s.User, r.PathValue("id"))
	if errors.Is(err, db.ErrNotFound) {
		w.notFound(rw, r, &s.User)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "invoice", page{Title: "Invoice " + inv.Number, User: &s.User, Data: inv})
}

func (w *Web) changeName(rw http.ResponseWriter, r *http.Request, s db.Session) {
	name := strings.Join(strings.Fields(r.PostFormValue("name")), " ")
	if name == "" || len(name) > 200 {
		s.User.Name = r.PostFormValue("name") // keep what was typed in the field
		w.settingsPage(rw, r, s, http.StatusUnprocessableEntity, page{Error: "Enter your name (at most 200 characters)."}, settingsData{})
		return
	}
	if err := w.DB.SetName(r.Context(), s.User, name, event(r, "name.changed", "")); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/settings?done=name", http.StatusSeeOther)
}
