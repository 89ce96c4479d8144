package state

import (
	bolt "go.etcd.io/bbolt"
)

// Batch is a set of writes committed together, applied in the order they
// were added.
type Batch struct {
	ops []op
	// periodic marks the batches of Run's ticks, as opposed to an
	// explicit Flush or Close.
	periodic bool
}

// Periodic reports whether b is collected by the periodic flush (Run)
// rather than by an explicit Flush or Close. A Collector may hold back
// routine observations from a periodic batch, to be written by a later
// one, as long as it bounds how long; an explicit flush must get
// everything.
func (b *Batch) Periodic() bool { return b.periodic }

type opKind uint8

const (
	opPut opKind = iota
	opDelete
	opClear
)

type op struct {
	kind   opKind
	bucket string
	key    string
	value  []byte
}

// Put sets key to value in bucket, creating the bucket when missing. The
// Batch keeps value: do not change it afterwards.
func (b *Batch) Put(bucket, key string, value []byte) {
	b.ops = append(b.ops, op{kind: opPut, bucket: bucket, key: key, value: value})
}

// Delete removes key from bucket.
func (b *Batch) Delete(bucket, key string) {
	b.ops = append(b.ops, op{kind: opDelete, bucket: bucket, key: key})
}

// Clear empties bucket, before the writes added after it.
func (b *Batch) Clear(bucket string) {
	b.ops = append(b.ops, op{kind: opClear, bucket: bucket})
}

// Len is the number of writes.
func (b *Batch) Len() int { return len(b.ops) }

func (b *Batch) apply(tx *bolt.Tx) error {
	buckets := make(map[string]*bolt.Bucket)
	bucket := func(name string) (*bolt.Bucket, error) {
		if bk := buckets[name]; bk != nil {
			return bk, nil
		}
		bk, err := tx.CreateBucketIfNotExists([]byte(name))
		if err != nil {
			return nil, err
		}
		buckets[name] = bk
		return bk, nil
	}
	for _, o := range b.ops {
		switch o.kind {
		case opClear:
			if tx.Bucket([]byte(o.bucket)) != nil {
				if err := tx.DeleteBucket([]byte(o.bucket)); err != nil {
					return err
				}
			}
			delete(buckets, o.bucket)
		case opPut:
			bk, err := bucket(o.bucket)
			if err != nil {
				return err
			}
			if err := bk.Put([]byte(o.key), o.value); err != nil {
				return err
			}
		case opDelete:
			bk := tx.Bucket([]byte(o.bucket))
			if bk == nil {
				continue
			}
			if err := bk.Delete([]byte(o.key)); err != nil {
				return err
			}
		}
	}
	return nil
}
