// Package backlog hands events from a connection reader to a consumer
// without ever blocking the reader (the defect of goami2 and ari/v6 that
// lost events); the AMI and ARI clients share it.
package backlog

import (
	"log/slog"
	"sync"
)

// Queue hands events from the connection reader to the Events channel
// without ever blocking the reader: push appends to a queue that a pump
// goroutine feeds to the channel at the reader's pace. Events are queued
// once Channel has been called; at most limit wait, newer ones beyond that
// are dropped and counted in a warning rather than exhausting memory.
type Queue[T any] struct {
	name  string // for log messages: "ami", "ari"
	log   *slog.Logger
	limit int
	out   chan T
	wake  chan struct{}
	done  chan struct{}

	mu      sync.Mutex
	items   []T
	started bool
	closed  bool
	dropped int
}

// New returns a queue of at most limit events, logging as name.
func New[T any](name string, limit int, log *slog.Logger) *Queue[T] {
	return &Queue[T]{
		name:  name,
		log:   log,
		limit: limit,
		out:   make(chan T),
		wake:  make(chan struct{}, 1),
		done:  make(chan struct{}),
	}
}

// Channel returns the output channel and starts the pump on first use.
func (q *Queue[T]) Channel() <-chan T {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.started {
		q.started = true
		if q.closed {
			close(q.out)
		} else {
			go q.pump()
		}
	}
	return q.out
}

// Push queues an event; it never blocks.
func (q *Queue[T]) Push(m T) {
	q.mu.Lock()
	if !q.started || q.closed {
		q.mu.Unlock()
		return
	}
	if len(q.items) >= q.limit {
		q.dropped++
		first := q.dropped == 1
		q.mu.Unlock()
		if first {
			q.log.Warn(q.name+": event backlog full, dropping events", "backlog", q.limit)
		}
		return
	}
	q.items = append(q.items, m)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Close stops the pump and closes the channel; queued events are dropped.
func (q *Queue[T]) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.closed = true
	close(q.done)
	if !q.started {
		q.started = true
		close(q.out)
	}
}

// pump feeds queued events to the channel until close.
func (q *Queue[T]) pump() {
	defer close(q.out)
	for {
		q.mu.Lock()
		if len(q.items) == 0 {
			q.items = nil
			dropped := q.dropped
			q.dropped = 0
			q.mu.Unlock()
			if dropped > 0 {
				q.log.Warn(q.name+": events dropped while the backlog was full", "dropped", dropped)
			}
			select {
			case <-q.wake:
				continue
			case <-q.done:
				return
			}
		}
		m := q.items[0]
		var zero T
		q.items[0] = zero
		q.items = q.items[1:]
		q.mu.Unlock()
		select {
		case q.out <- m:
		case <-q.done:
			return
		}
	}
}
