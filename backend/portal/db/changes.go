package db

import (
	"context"
	"fmt"

	"portico/backend/api"
)

// Changes returns up to limit changes of a firm after seq, and whether more follow.
func (d *DB) Changes(ctx context.Context, firmID string, after int64, limit int) ([]api.Change, bool, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT seq, op_id, kind, entity_id, data, created_at FROM changes
		WHERE firm_id = ? AND seq > ? ORDER BY seq LIMIT ?`, firmID, after, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("changes: %w", err)
	}
	defer rows.Close()
	list := []api.Change{}
	for rows.Next() {
		var c api.Change
		var data, at string
		if err := rows.Scan(&c.Seq, &c.OpID, &c.Kind, &c.EntityID, &data, &at); err != nil {
			return nil, false, err
		}
		c.Data, c.At = []byte(data), parseTime(at)
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if len(list) > limit {
		return list[:limit], true, nil
	}
	return list, false, nil
}

// CountChangesForOp counts feed entries made by one op: a retried op must make one.
func (d *DB) CountChangesForOp(ctx context.Context, firmID, opID string) (int, error) {
	var n int
	err := d.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM changes WHERE firm_id = ? AND op_id = ?`, firmID, opID).Scan(&n)
	return n, err
}
