package clients

import (
	"context"
	"fmt"
	"testing"
)

func BenchmarkCreateX(b *testing.B) {
	s := newServiceB(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		_, err := s.Create(ctx, Input{Name: fmt.Sprintf("Client %05d", i), People: []PersonInput{
			{Role: "primary", Name: fmt.Sprintf("Person %05d", i), Email: fmt.Sprintf("p%05d@bench.test", i), Phone: "555-0100"}}})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func newServiceB(b *testing.B) *Service {
	st, err := storeOpen(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return &Service{Store: st, Now: timeNow}
}
