package ari

import (
	"log/slog"
	"sync"
)

// eventQueue hands events from the connection reader to the Events channel
// without ever blocking the reader: push appends to a queue that a pump
// goroutine feeds to the channel at the reader's pace. Events are queued
// once Events has been called; at most limit wait, newer ones beyond that
// are dropped and counted in a warning rather than exhausting memory.
type eventQueue struct {
	log   *slog.Logger
	limit int
	out   chan Event
	wake  chan struct{}
	done  chan struct{}

	mu      sync.Mutex
	items   []Event
	started bool
	closed  bool
	dropped int
}

func newEventQueue(limit int, log *slog.Logger) *eventQueue {
	return &eventQueue{
		log:   log,
		limit: limit,
		out:   make(chan Event),
		wake:  make(chan struct{}, 1),
		done:  make(chan struct{}),
	}
}

// channel returns the output channel and starts the pump on first use.
func (q *eventQueue) channel() <-chan Event {
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

// push queues an event; it never blocks.
func (q *eventQueue) push(m Event) {
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
			q.log.Warn("ari: event backlog full, dropping events", "backlog", q.limit)
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

// close stops the pump and closes the channel; queued events are dropped.
func (q *eventQueue) close() {
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
func (q *eventQueue) pump() {
	defer close(q.out)
	for {
		q.mu.Lock()
		if len(q.items) == 0 {
			q.items = nil
			dropped := q.dropped
			q.dropped = 0
			q.mu.Unlock()
			if dropped > 0 {
				q.log.Warn("ari: events dropped while the backlog was full", "dropped", dropped)
			}
			select {
			case <-q.wake:
				continue
			case <-q.done:
				return
			}
		}
		m := q.items[0]
		q.items[0] = Event{}
		q.items = q.items[1:]
		q.mu.Unlock()
		select {
		case q.out <- m:
		case <-q.done:
			return
		}
	}
}
