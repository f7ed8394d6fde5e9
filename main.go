// Command portico is the staff desktop app.
package main

import (
	"embed"
	"log"

	"portico/app"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	if err := app.Run(assets); err != nil {
		log.Fatal(err)
	}
}
