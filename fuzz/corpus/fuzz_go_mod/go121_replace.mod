// a comment
module github.com/example/app

go 1.21

toolchain go1.21.5

require github.com/gin-gonic/gin v1.9.0

require (
	golang.org/x/net v0.17.0
	golang.org/x/text v0.13.0 // indirect
	github.com/old/lib v1.0.0
	github.com/local/lib v0.2.0 // indirect; for tests
	"github.com/quoted/mod" v0.0.0-20230101000000-abcdefabcdef
)

exclude golang.org/x/net v0.1.0

replace github.com/old/lib v1.0.0 => github.com/new/lib v1.0.5

replace (
	github.com/local/lib => ../lib
)

retract [v0.1.0, v0.1.5]
