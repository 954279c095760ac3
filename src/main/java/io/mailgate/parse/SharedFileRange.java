package io.mailgate.parse;

import jakarta.mail.internet.SharedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * A byte range of a message file, readable as a stream and shareable the way Jakarta Mail expects of a
 * {@link SharedInputStream}: every part of the message is a range of the same open file, so a part's content
 * is read from the file when needed and never copied into the heap.
 *
 * <p>Why not Jakarta's {@code SharedFileInputStream}: it refills a 2 kB buffer with a seek and a read each
 * time, and it allocates that buffer when a range is created, so a larger one would cost memory for every
 * part of a message whether it is read or not. Reading a 1 MB attachment through it took 500 seeks. Here the
 * buffer is allocated on a range's first read, starts small (most reads of a part are its header block) and
 * grows to 64 kB; reads of at least that size go straight from the file into the caller's array.
 *
 * <p>Closing the range opened by {@link #open} closes the file for every range made from it. Not thread-safe
 * (one parse reads its ranges on one thread); the file itself is guarded, since ranges share its position.
 */
final class SharedFileRange extends InputStream implements SharedInputStream {

    private static final int FIRST_BUFFER = 8 * 1024;
    private static final int MAX_BUFFER = 64 * 1024;

    private final RandomAccessFile file;
    private final boolean root;
    private final long start; // offsets in the file
    private final long end;
    private long position;
    private long mark;
    private byte[] buffer;
    private long bufferStart; // file offset of buffer[0]
    private int bufferLength;
    private boolean closed;

    private SharedFileRange(RandomAccessFile file, boolean root, long start, long end) {
        this.file = file;
        this.root = root;
        this.start = start;
        this.end = end;
        this.position = start;
        this.mark = start;
    }

    /** The whole file; closing the result closes the file. */
    static SharedFileRange open(Path path) throws IOException {
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "r");
        try {
            return new SharedFileRange(file, true, 0, file.length());
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    public int read() throws IOException {
        if (position >= end) {
            return -1;
        }
        if (!buffered(position) && !fill()) {
            return -1;
        }
        return buffer[(int) (position++ - bufferStart)] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        ensureOpen();
        if (length == 0) {
            return 0;
        }
        if (position >= end) {
            return -1;
        }
        int wanted = (int) Math.min(length, end - position);
        if (!buffered(position)) {
            if (wanted >= MAX_BUFFER) {
                int n = readAt(position, into, offset, wanted);
                if (n <= 0) {
                    return -1;
                }
                position += n;
                return n;
            }
            if (!fill()) {
                return -1;
            }
        }
        int from = (int) (position - bufferStart);
        int n = Math.min(wanted, bufferLength - from);
        System.arraycopy(buffer, from, into, offset, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, end - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return (int) Math.min(Integer.MAX_VALUE, end - position);
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public void mark(int readLimit) {
        mark = position;
    }

    @Override
    public void reset() {
        position = mark;
    }

    @Override
    public long getPosition() {
        return position - start;
    }

    /** The range {@code from} to {@code to} (exclusive; -1 for this range's end), both relative to this range. */
    @Override
    public SharedFileRange newStream(long from, long to) {
        if (from < 0) {
            throw new IllegalArgumentException("negative start " + from);
        }
        long absoluteEnd = to == -1 ? end : Math.min(end, start + to);
        long absoluteStart = Math.min(start + from, absoluteEnd);
        return new SharedFileRange(file, false, absoluteStart, absoluteEnd);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        buffer = null;
        if (root) {
            file.close();
        }
    }

    private boolean buffered(long at) {
        return buffer != null && at >= bufferStart && at < bufferStart + bufferLength;
    }

    /** Reads the buffer at {@link #position}; false at the end of the file. */
    private boolean fill() throws IOException {
        ensureOpen();
        int size = buffer == null ? FIRST_BUFFER : Math.min(MAX_BUFFER, buffer.length * 2);
        size = (int) Math.min(size, end - position);
        if (buffer == null || buffer.length < size) {
            buffer = new byte[size];
        }
        int n = readAt(position, buffer, 0, size);
        bufferStart = position;
        bufferLength = Math.max(0, n);
        return n > 0;
    }

    private int readAt(long at, byte[] into, int offset, int length) throws IOException {
        synchronized (file) {
            file.seek(at);
            int total = 0;
            while (total < length) {
                int n = file.read(into, offset + total, length - total);
                if (n < 0) {
                    break; // the file is shorter than when opened: what is there is what we have
                }
                total += n;
            }
            return total;
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }
}
