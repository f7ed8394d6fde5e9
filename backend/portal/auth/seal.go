package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

// Sealer encrypts small secrets at rest (authenticator secrets) with AES-256-GCM under the
// portal's key. The additional data binds a sealed value to its owner, so one user's sealed
// secret cannot be replayed as another's.
type Sealer struct {
	aead cipher.AEAD
}

func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("seal key: want 32 bytes, have %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

func (s *Sealer) Seal(plain, owner []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, plain, owner)
}

var ErrUnsealed = errors.New("sealed value is damaged or belongs to someone else")

func (s *Sealer) Open(sealed, owner []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, ErrUnsealed
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], owner)
	if err != nil {
		return nil, ErrUnsealed
	}
	return plain, nil
}
