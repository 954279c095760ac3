package io.mailgate.ops;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * H2's files with a disk that can be made full: {@code jdbc:h2:fullDisk:<path>}. While {@link #FULL} is set, every
 * write and sync fails as Linux's would ("No space left on device"); reads go on. H2's own test suite simulates
 * failing disks the same way, through its file system abstraction.
 */
public final class FullDiskFilePath extends FilePathWrapper {

    static final AtomicBoolean FULL = new AtomicBoolean();
    private static final String SCHEME = "fullDisk";

    /** For H2, which makes one per path by reflection. */
    public FullDiskFilePath() {}

    static void register() {
        FilePath.register(new FullDiskFilePath());
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new FullDiskChannel(getBase().open(mode));
    }

    private static final class FullDiskChannel extends FileBase {

        private final FileChannel file;

        FullDiskChannel(FileChannel file) {
            this.file = file;
        }

        private static void refuseIfFull() throws IOException {
            if (FULL.get()) {
                throw new IOException("No space left on device");
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return file.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            refuseIfFull();
            return file.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            refuseIfFull();
            return file.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            file.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            refuseIfFull();
            file.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            refuseIfFull();
            file.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }
}
