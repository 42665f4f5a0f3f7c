package dev.bertforge.trainer.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive (what {@code torch.jit.save} writes and {@code torch.jit.load} / DJL's
 * {@code Model.load} read) for a module with no parameters, from the module's TorchScript source: a zip of stored
 * entries {@code NAME/version}, {@code NAME/byteorder}, {@code NAME/data.pkl} (the pickled module object: its class
 * and {@code training} flag), {@code NAME/constants.pkl} (an empty tuple) and {@code NAME/code/__torch__.py}.
 *
 * <p>This lets the trainer carry its TorchScript kernels as readable source rather than as a binary made by Python.
 */
final class TorchScriptArchive {

  /** The file format version torch 2.x writes for such a module (libtorch reads 1 to 10 and later). */
  static final String FORMAT_VERSION = "3";

  private TorchScriptArchive() {}

  /**
   * Writes {@code file}: the module class {@code className} (defined in {@code source}, in {@code __torch__}) in
   * training mode.
   */
  static void write(Path file, String archiveName, String className, String source) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      stored(zip, archiveName + "/data.pkl", moduleObject(className));
      stored(zip, archiveName + "/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
      stored(zip, archiveName + "/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
      stored(zip, archiveName + "/version", (FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
      stored(zip, archiveName + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** Pickle protocol 2 of {@code __torch__.CLASS()} with state {@code {"training": True}}. */
  static byte[] moduleObject(String className) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(0x80); // PROTO 2
    p.write(2);
    p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
    p.write(')'); // EMPTY_TUPLE
    p.write(0x81); // NEWOBJ
    p.write('}'); // EMPTY_DICT
    p.write('('); // MARK
    byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
    p.write('X'); // BINUNICODE, little-endian length
    p.write(key.length);
    p.write(0);
    p.write(0);
    p.write(0);
    p.writeBytes(key);
    p.write(0x88); // NEWTRUE
    p.write('u'); // SETITEMS
    p.write('b'); // BUILD
    p.write('.'); // STOP
    return p.toByteArray();
  }

  private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(bytes.length);
    entry.setCompressedSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(bytes);
    zip.closeEntry();
  }
}
