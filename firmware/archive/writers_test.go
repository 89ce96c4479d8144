package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"hash/crc32"
	"io/fs"
	"os"
	"os/exec"
	"sync"
	"testing"
	"unicode/utf16"
)

// entry is a member for the test archive writers.
type entry struct {
	name string
	body string
	kind kind
	link string      // symlink target or hard-link member
	mode fs.FileMode // special file type bits (fs.ModeNamedPipe...)
}

func file(name, body string) entry      { return entry{name: name, body: body, kind: kindFile} }
func dir(name string) entry             { return entry{name: name, kind: kindDir} }
func symlink(name, target string) entry { return entry{name: name, kind: kindSymlink, link: target} }

func makeTar(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: tar.TypeReg}
		switch e.kind {
		case kindDir:
			h.Typeflag, h.Mode, h.Size = tar.TypeDir, 0o755, 0
		case kindSymlink:
			h.Typeflag, h.Linkname, h.Size = tar.TypeSymlink, e.link, 0
		case kindHardlink:
			h.Typeflag, h.Linkname, h.Size = tar.TypeLink, e.link, 0
		case kindOther:
			h.Typeflag, h.Size = tar.TypeFifo, 0
			if e.mode&fs.ModeDevice != 0 {
				h.Typeflag = tar.TypeChar
			}
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func makeZip(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		body := e.body
		switch e.kind {
		case kindDir:
			h.SetMode(fs.ModeDir | 0o755)
		case kindSymlink:
			h.SetMode(fs.ModeSymlink | 0o777)
			body = e.link
		case kindOther:
			h.SetMode(e.mode | 0o644)
		default:
			h.SetMode(0o644)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pyCompress compresses with Python's bz2 or lzma module: the standard
// library has no bzip2 or xz writer.
func pyCompress(t *testing.T, module string, data []byte) []byte {
	t.Helper()
	key := module + string(data)
	if b, ok := compressed.Load(key); ok {
		return b.([]byte)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is needed to make bzip2 and xz test archives")
		}
		t.Skip("python3 is not installed: cannot make bzip2/xz test archives")
	}
	cmd := exec.Command(py, "-c", "import "+module+",sys; sys.stdout.buffer.write("+module+".compress(sys.stdin.buffer.read()))")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3 %s: %v", module, err)
	}
	compressed.Store(key, out)
	return out
}

// compressed keeps what pyCompress made: each call starts a Python.
var compressed sync.Map

// --- 7z: a minimal writer of uncompressed ("Copy" coder) archives, from
// the 7z format description, one folder per file.

func num7z(v uint64) []byte {
	for n := 0; n < 8; n++ {
		if v < 1<<(7*(n+1)) {
			b := []byte{byte(0xff<<(8-n)) | byte(v>>(8*n))}
			for i := 0; i < n; i++ {
				b = append(b, byte(v>>(8*i)))
			}
			return b
		}
	}
	b := []byte{0xff}
	return binary.LittleEndian.AppendUint64(b, v)
}

func make7z(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var packed bytes.Buffer
	var sizes []uint64
	var crcs []uint32
	var names bytes.Buffer
	var attrs []uint32
	empty := make([]bool, len(entries))
	for i, e := range entries {
		body := e.body
		unix := uint32(0o100644)
		switch e.kind {
		case kindDir:
			unix, empty[i] = 0o40755, true
		case kindSymlink:
			unix, body = 0o120777, e.link
		case kindOther:
			unix, empty[i] = 0o10644, true
		}
		a := uint32(0x8000) | unix<<16
		if e.kind == kindDir {
			a |= 0x10
		}
		attrs = append(attrs, a)
		for _, u := range utf16.Encode([]rune(e.name)) {
			names.Write([]byte{byte(u), byte(u >> 8)})
		}
		names.Write([]byte{0, 0})
		if empty[i] || body == "" {
			empty[i] = true
			continue
		}
		packed.WriteString(body)
		sizes = append(sizes, uint64(len(body)))
		crcs = append(crcs, crc32.ChecksumIEEE([]byte(body)))
	}
	var h bytes.Buffer
	h.WriteByte(0x01) // kHeader
	if len(sizes) > 0 {
		h.WriteByte(0x04) // kMainStreamsInfo
		h.WriteByte(0x06) // kPackInfo
		h.Write(num7z(0))
		h.Write(num7z(uint64(len(sizes))))
		h.WriteByte(0x09) // kSize
		for _, s := range sizes {
			h.Write(num7z(s))
		}
		h.WriteByte(0x00)
		h.WriteByte(0x07) // kUnPackInfo
		h.WriteByte(0x0b) // kFolder
		h.Write(num7z(uint64(len(sizes))))
		h.WriteByte(0) // not external
		for range sizes {
			h.Write(num7z(1))           // one coder
			h.Write([]byte{0x01, 0x00}) // id size 1, simple; Copy
		}
		h.WriteByte(0x0c) // kCodersUnPackSize
		for _, s := range sizes {
			h.Write(num7z(s))
		}
		h.WriteByte(0x00)
		h.WriteByte(0x08) // kSubStreamsInfo
		h.WriteByte(0x0a) // kCRC
		h.WriteByte(1)    // all defined
		for _, c := range crcs {
			h.Write(binary.LittleEndian.AppendUint32(nil, c))
		}
		h.WriteByte(0x00)
		h.WriteByte(0x00) // end of streams info
	}
	h.WriteByte(0x05) // kFilesInfo
	h.Write(num7z(uint64(len(entries))))
	var bits []byte
	any := false
	for i, e := range empty {
		if i%8 == 0 {
			bits = append(bits, 0)
		}
		if e {
			bits[i/8] |= 0x80 >> (i % 8)
			any = true
		}
	}
	if any {
		h.WriteByte(0x0e) // kEmptyStream
		h.Write(num7z(uint64(len(bits))))
		h.Write(bits)
	}
	h.WriteByte(0x11) // kName
	h.Write(num7z(uint64(names.Len() + 1)))
	h.WriteByte(0)
	h.Write(names.Bytes())
	h.WriteByte(0x15) // kAttributes
	h.Write(num7z(uint64(2 + 4*len(attrs))))
	h.Write([]byte{1, 0})
	for _, a := range attrs {
		h.Write(binary.LittleEndian.AppendUint32(nil, a))
	}
	h.WriteByte(0x00) // end of files info
	h.WriteByte(0x00) // end of header
	start := binary.LittleEndian.AppendUint64(nil, uint64(packed.Len()))
	start = binary.LittleEndian.AppendUint64(start, uint64(h.Len()))
	start = binary.LittleEndian.AppendUint32(start, crc32.ChecksumIEEE(h.Bytes()))
	var out bytes.Buffer
	out.Write([]byte{'7', 'z', 0xbc, 0xaf, 0x27, 0x1c, 0, 4})
	out.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(start)))
	out.Write(start)
	out.Write(packed.Bytes())
	out.Write(h.Bytes())
	return out.Bytes()
}

// --- RAR 5: a minimal writer of stored (uncompressed) archives, from
// RARLAB's format description.

func vint(v uint64) []byte {
	var b []byte
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// rarBlock frames header fields (from the type on) with CRC and size.
func rarBlock(fields []byte) []byte {
	body := append(vint(uint64(len(fields))), fields...)
	return append(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(body)), body...)
}

func makeRar(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var out bytes.Buffer
	out.Write([]byte{0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00})
	out.Write(rarBlock([]byte{1, 0, 0})) // main header: type 1, flags 0, archive flags 0
	for _, e := range entries {
		body := []byte(e.body)
		fileFlags := uint64(0x0004) // CRC32 present
		mode := uint64(0o100644)
		var extra []byte
		switch e.kind {
		case kindDir:
			fileFlags, mode, body = 0x0001, 0o40755, nil
		case kindSymlink, kindHardlink:
			typ := uint64(1) // Unix symlink
			mode = 0o120777
			if e.kind == kindHardlink {
				typ, mode = 4, 0o100644
			}
			rec := append(vint(5), vint(typ)...)
			rec = append(rec, vint(0)...)
			rec = append(rec, vint(uint64(len(e.link)))...)
			rec = append(rec, e.link...)
			extra = append(vint(uint64(len(rec))), rec...)
			body = nil
		case kindOther:
			mode, body = 0o10644, nil
		}
		var f []byte
		hflags := uint64(0x0002) // data area
		if len(extra) > 0 {
			hflags |= 0x0001
		}
		f = append(f, vint(2)...) // file header
		f = append(f, vint(hflags)...)
		if len(extra) > 0 {
			f = append(f, vint(uint64(len(extra)))...)
		}
		f = append(f, vint(uint64(len(body)))...)
		f = append(f, vint(fileFlags)...)
		f = append(f, vint(uint64(len(body)))...) // unpacked size
		f = append(f, vint(mode)...)              // attributes
		if fileFlags&0x0004 != 0 {
			f = binary.LittleEndian.AppendUint32(f, crc32.ChecksumIEEE(body))
		}
		f = append(f, vint(0)...) // compression: version 0, store
		f = append(f, vint(1)...) // host OS: Unix
		f = append(f, vint(uint64(len(e.name)))...)
		f = append(f, e.name...)
		f = append(f, extra...)
		out.Write(rarBlock(f))
		out.Write(body)
	}
	out.Write(rarBlock([]byte{5, 0, 0})) // end of archive
	return out.Bytes()
}

func gz(data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}
