package dev.bertforge.transforms.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/** A Parquet {@link InputFile} read through Beam's {@link FileSystems}, so any Beam filesystem works. */
final class ChannelInputFile implements InputFile {
  private final ResourceId file;
  private final long length;

  ChannelInputFile(MatchResult.Metadata file) {
    this.file = file.resourceId();
    this.length = file.sizeBytes();
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    ReadableByteChannel opened = FileSystems.open(file);
    if (!(opened instanceof SeekableByteChannel)) {
      opened.close();
      throw new IOException(file + ": this filesystem cannot seek, which Parquet needs");
    }
    SeekableByteChannel channel = (SeekableByteChannel) opened;
    return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
      @Override
      public long getPos() throws IOException {
        return channel.position();
      }

      @Override
      public void seek(long position) throws IOException {
        channel.position(position);
      }

      @Override
      public int read(ByteBuffer buffer) throws IOException {
        return channel.read(buffer);
      }
    };
  }

  @Override
  public String toString() {
    return file.toString();
  }
}
