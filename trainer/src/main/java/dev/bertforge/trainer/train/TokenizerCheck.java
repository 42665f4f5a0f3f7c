package dev.bertforge.trainer.train;

import dev.bertforge.trainer.data.ShardManifest;
import dev.bertforge.trainer.data.SpecialTokens;
import dev.bertforge.trainer.export.Checkpoint;
import dev.bertforge.trainer.export.TokenizerFiles;
import dev.bertforge.trainer.model.ModernBertConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Before the first step: the shards must come from the tokenizer the model was (or will be) trained with,
 * or the model learns from ids that mean something else. Checks the vocabulary size, the special ids and,
 * when the weights came from elsewhere, the tokenizer file's sha256.
 */
public final class TokenizerCheck {
  private TokenizerCheck() {}

  /**
   * @param weightsTokenizerSha256 the tokenizer the weights were trained on, or {@code null} if unknown
   * @param weightsSource where the weights come from, for the error message
   */
  public static void check(ShardManifest manifest, String shardGlob, ModernBertConfig model,
      String weightsTokenizerSha256, String weightsSource) throws IOException {
    if (manifest.vocabSize() > model.vocabSize()) {
      throw new IOException("the shards '" + shardGlob + "' use a vocabulary of " + manifest.vocabSize()
          + " tokens but the model " + weightsSource + " has only " + model.vocabSize());
    }
    SpecialTokens specials = manifest.specialTokenIds();
    expect(specials.pad(), model.padTokenId(), "the pad token", shardGlob, weightsSource);
    if (specials.cls() != null) {
      expect(specials.cls(), model.clsTokenId(), "the cls token", shardGlob, weightsSource);
    }
    if (specials.sep() != null) {
      expect(specials.sep(), model.sepTokenId(), "the sep token", shardGlob, weightsSource);
    }
    if (weightsTokenizerSha256 != null && manifest.tokenizerSha256() != null
        && !weightsTokenizerSha256.equals(manifest.tokenizerSha256())) {
      throw new IOException("the shards '" + shardGlob + "' were made with tokenizer sha256 "
          + manifest.tokenizerSha256() + " but the model " + weightsSource + " was trained with "
          + weightsTokenizerSha256 + ": pretokenize with that model's tokenizer");
    }
  }

  private static void expect(int shardId, int modelId, String token, String glob, String source)
      throws IOException {
    if (shardId != modelId) {
      throw new IOException("the shards '" + glob + "' have " + token + " = " + shardId + " but the model "
          + source + " has " + modelId);
    }
  }

  /**
   * The sha256 of the tokenizer the weights in {@code dir} were trained with: from {@code trainer_state.json}
   * of a checkpoint, else of the {@code tokenizer.json} beside the weights; {@code null} if unknown.
   */
  public static String trainedWith(Path dir) throws IOException {
    if (TrainingState.isCheckpoint(dir)) {
      return TrainingState.read(dir).tokenizerSha256();
    }
    String inside = sha256(dir.resolve(Checkpoint.TOKENIZER_DIR).resolve(TokenizerFiles.TOKENIZER_JSON));
    return inside != null ? inside : sha256(dir.resolve(TokenizerFiles.TOKENIZER_JSON));
  }

  /** sha256 of a file as lower-case hex, or {@code null} if it does not exist. */
  public static String sha256(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
