package looma.testservers.esplugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;

/** Tokenizers: edge_ngram, ngram, whitespace, keyword, letter. */
final class Tokenizers {
    private Tokenizers() {}

    /** {@code token_chars}: letter, digit, whitespace, punctuation, symbol, custom
     *  (with {@code custom_token_chars}); none listed means every character is kept. */
    static IntPredicate tokenChars(Settings settings) {
        List<String> classes = settings.getAsList("token_chars");
        if (classes.isEmpty()) {
            return null;
        }
        List<IntPredicate> matchers = new ArrayList<>();
        for (String c : classes) {
            switch (c.toLowerCase(Locale.ROOT)) {
                case "letter" -> matchers.add(Character::isLetter);
                case "digit" -> matchers.add(Character::isDigit);
                case "whitespace" -> matchers.add(Character::isWhitespace);
                case "punctuation" -> matchers.add(ch -> switch (Character.getType(ch)) {
                    case Character.START_PUNCTUATION, Character.END_PUNCTUATION, Character.OTHER_PUNCTUATION,
                            Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION,
                            Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION -> true;
                    default -> false;
                });
                case "symbol" -> matchers.add(ch -> switch (Character.getType(ch)) {
                    case Character.CURRENCY_SYMBOL, Character.MATH_SYMBOL, Character.OTHER_SYMBOL,
                            Character.MODIFIER_SYMBOL -> true;
                    default -> false;
                });
                case "custom" -> {
                    String custom = settings.get("custom_token_chars");
                    if (custom == null) {
                        throw new IllegalArgumentException("Token type: [custom] requires setting [custom_token_chars]");
                    }
                    matchers.add(ch -> custom.indexOf(ch) >= 0);
                }
                default -> throw new IllegalArgumentException("Unknown token type: '" + c
                        + "', must be one of [symbol, custom, letter, digit, whitespace, punctuation]");
            }
        }
        return ch -> matchers.stream().anyMatch(m -> m.test(ch));
    }

    static final class EdgeNGram extends AbstractTokenizerFactory {
        private final int min;
        private final int max;
        private final IntPredicate tokenChars;

        EdgeNGram(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            min = settings.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
            max = settings.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
            tokenChars = tokenChars(settings);
        }

        @Override
        public Tokenizer create() {
            if (tokenChars == null) {
                return new EdgeNGramTokenizer(min, max);
            }
            return new EdgeNGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return tokenChars.test(chr);
                }
            };
        }
    }

    static final class NGram extends AbstractTokenizerFactory {
        private final int min;
        private final int max;
        private final IntPredicate tokenChars;

        NGram(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            min = settings.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
            max = settings.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
            checkNgramDiff(indexSettings, min, max, "NGram Tokenizer");
            tokenChars = tokenChars(settings);
        }

        @Override
        public Tokenizer create() {
            if (tokenChars == null) {
                return new NGramTokenizer(min, max);
            }
            return new NGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return tokenChars.test(chr);
                }
            };
        }
    }

    /** As Elasticsearch: index.max_ngram_diff (default 1) bounds max_gram - min_gram. */
    static void checkNgramDiff(IndexSettings indexSettings, int min, int max, String what) {
        int maxAllowed = indexSettings.getMaxNgramDiff();
        if (max - min > maxAllowed) {
            throw new IllegalArgumentException("The difference between max_gram and min_gram in " + what
                    + " must be less than or equal to: [" + maxAllowed + "] but was [" + (max - min)
                    + "]. This limit can be set by changing the [" + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey()
                    + "] index level setting.");
        }
    }

    static final class Whitespace extends AbstractTokenizerFactory {
        private final int maxTokenLength;

        Whitespace(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            maxTokenLength = settings.getAsInt("max_token_length", 255);
        }

        @Override
        public Tokenizer create() {
            return new WhitespaceTokenizer(WhitespaceTokenizer.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, maxTokenLength);
        }
    }

    static final class Keyword extends AbstractTokenizerFactory {
        private final int bufferSize;

        Keyword(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            bufferSize = settings.getAsInt("buffer_size", 256);
        }

        @Override
        public Tokenizer create() {
            return new KeywordTokenizer(bufferSize);
        }
    }

    static final class Letter extends AbstractTokenizerFactory {
        Letter(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
        }

        @Override
        public Tokenizer create() {
            return new LetterTokenizer();
        }
    }
}
