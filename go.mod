module github.com/phoneprovd/phoneprovd

go 1.26

require github.com/staskobzar/goami2 v1.7.7
