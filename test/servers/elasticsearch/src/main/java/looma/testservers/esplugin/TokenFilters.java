package looma.testservers.esplugin;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.core.UpperCaseFilter;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.tartarus.snowball.ext.EnglishStemmer;

/** Token filters, under analysis-common's names and parameters. */
final class TokenFilters {
    private TokenFilters() {}

    static final class AsciiFolding extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final boolean preserveOriginal;

        AsciiFolding(IndexSettings is, Environment env, String name, Settings settings) {
            super(name, settings);
            preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new ASCIIFoldingFilter(in, preserveOriginal);
        }

        @Override
        public TokenStream normalize(TokenStream in) {
            return new ASCIIFoldingFilter(in, false); // one token out per token in
        }
    }

    /** {@code ignored_scripts} (han, hiragana, katakana, hangul) and {@code output_unigrams}. */
    static final class CjkBigram extends AbstractTokenFilterFactory {
        private final int flags;
        private final boolean outputUnigrams;

        CjkBigram(IndexSettings is, Environment env, String name, Settings settings) {
            super(name, settings);
            int f = CJKBigramFilter.HAN | CJKBigramFilter.HIRAGANA | CJKBigramFilter.KATAKANA | CJKBigramFilter.HANGUL;
            for (String script : settings.getAsList("ignored_scripts")) {
                switch (script.toLowerCase(Locale.ROOT)) {
                    case "han" -> f &= ~CJKBigramFilter.HAN;
                    case "hiragana" -> f &= ~CJKBigramFilter.HIRAGANA;
                    case "katakana" -> f &= ~CJKBigramFilter.KATAKANA;
                    case "hangul" -> f &= ~CJKBigramFilter.HANGUL;
                    default -> throw new IllegalArgumentException("unknown script [" + script
                            + "] in ignored_scripts: one of han, hiragana, katakana, hangul");
                }
            }
            flags = f;
            outputUnigrams = settings.getAsBoolean("output_unigrams", false);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new CJKBigramFilter(in, flags, outputUnigrams);
        }
    }

    static final class CjkWidth extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        CjkWidth(IndexSettings is, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new CJKWidthFilter(in);
        }
    }

    /** {@code min_gram} (1), {@code max_gram} (2), {@code preserve_original} (false). */
    static final class EdgeNGram extends AbstractTokenFilterFactory {
        private final int min;
        private final int max;
        private final boolean preserveOriginal;

        EdgeNGram(IndexSettings is, Environment env, String name, Settings settings) {
            super(name, settings);
            min = settings.getAsInt("min_gram", 1);
            max = settings.getAsInt("max_gram", 2);
            preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new EdgeNGramTokenFilter(in, min, max, preserveOriginal);
        }

        @Override
        public TokenFilterFactory getSynonymFilter() {
            throw new IllegalArgumentException("Token filter [" + name() + "] cannot be used to parse synonyms");
        }
    }

    /** {@code min_gram} (1), {@code max_gram} (2), {@code preserve_original}; index.max_ngram_diff applies. */
    static final class NGram extends AbstractTokenFilterFactory {
        private final int min;
        private final int max;
        private final boolean preserveOriginal;

        NGram(IndexSettings is, Environment env, String name, Settings settings) {
            super(name, settings);
            min = settings.getAsInt("min_gram", 1);
            max = settings.getAsInt("max_gram", 2);
            Tokenizers.checkNgramDiff(is, min, max, "NGram Token Filter");
            preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new NGramTokenFilter(in, min, max, preserveOriginal);
        }

        @Override
        public TokenFilterFactory getSynonymFilter() {
            throw new IllegalArgumentException("Token filter [" + name() + "] cannot be used to parse synonyms");
        }
    }

    static final class FlattenGraph extends AbstractTokenFilterFactory {
        FlattenGraph(IndexSettings is, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new FlattenGraphFilter(in);
        }
    }

    static final class KStem extends AbstractTokenFilterFactory {
        KStem(IndexSettings is, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new KStemFilter(in);
        }
    }

    static final class PorterStem extends AbstractTokenFilterFactory {
        PorterStem(IndexSettings is, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new PorterStemFilter(in);
        }
    }

    /** {@code language} (or {@code name}): the English stemmers only. */
    static final class Stemmer extends AbstractTokenFilterFactory {
        private final String language;

        Stemmer(IndexSettings is, Environment env, String name, Settings settings) {
            super(name, settings);
            language = settings.get("language", settings.get("name", "porter")).toLowerCase(Locale.ROOT);
            if (!List.of("english", "porter", "porter2", "light_english", "kstem", "minimal_english",
                    "possessive_english").contains(language)) {
                throw new IllegalArgumentException("stemmer language [" + language + "] is not available in"
                        + " Looma's test server (English stemmers only: english, porter, porter2,"
                        + " light_english, minimal_english, possessive_english)");
            }
        }

        @Override
        public TokenStream create(TokenStream in) {
            return switch (language) {
                case "english", "porter" -> new PorterStemFilter(in);
                case "porter2" -> new SnowballFilter(in, new EnglishStemmer());
                case "light_english", "kstem" -> new KStemFilter(in);
                case "minimal_english" -> new EnglishMinimalStemFilter(in);
                default -> new EnglishPossessiveFilter(in);
            };
        }
    }

    static final class Trim extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        Trim(IndexSettings is, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new TrimFilter(in);
        }
    }

    /** {@code min} (0), {@code max} (Integer.MAX_VALUE). */
    static final class Length extends AbstractTokenFilterFactory {
        private final int min;
        private final int max;

        Length(IndexSettings is, Environment env, String name, Settings settings) {
            super(name, settings);
            min = settings.getAsInt("min", 0);
            max = settings.getAsInt("max", Integer.MAX_VALUE);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new LengthFilter(in, min, max);
        }
    }

    /** {@code length} (10). */
    static final class Truncate extends AbstractTokenFilterFactory {
        private final int length;

        Truncate(IndexSettings is, Environment env, String name, Settings settings) {
            super(name, settings);
            length = settings.getAsInt("length", 10);
            if (length <= 0) {
                throw new IllegalArgumentException("length parameter must be provided");
            }
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new TruncateTokenFilter(in, length);
        }
    }

    static final class UpperCase extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        UpperCase(IndexSettings is, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new UpperCaseFilter(in);
        }
    }

    /** Drops a token whose text was already seen (with {@code only_on_same_position}: at that position). */
    static final class Unique extends AbstractTokenFilterFactory {
        private final boolean onlyOnSamePosition;

        Unique(IndexSettings is, Environment env, String name, Settings settings) {
            super(name, settings);
            onlyOnSamePosition = settings.getAsBoolean("only_on_same_position", false);
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new UniqueFilter(in, onlyOnSamePosition);
        }
    }

    private static final class UniqueFilter extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final PositionIncrementAttribute posInc = addAttribute(PositionIncrementAttribute.class);
        private final CharArraySet seen = new CharArraySet(8, false);
        private final boolean onlyOnSamePosition;

        UniqueFilter(TokenStream in, boolean onlyOnSamePosition) {
            super(in);
            this.onlyOnSamePosition = onlyOnSamePosition;
        }

        @Override
        public boolean incrementToken() throws IOException {
            while (input.incrementToken()) {
                if (onlyOnSamePosition && posInc.getPositionIncrement() > 0) {
                    seen.clear();
                }
                char[] text = new char[term.length()];
                System.arraycopy(term.buffer(), 0, text, 0, term.length());
                if (seen.contains(text, 0, text.length)) {
                    continue;
                }
                seen.add(text);
                return true;
            }
            return false;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            seen.clear();
        }
    }
}
