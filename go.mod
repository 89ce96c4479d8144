module github.com/phoneprovd/phoneprovd

go 1.26
