package looma.testservers.esplugin;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.Analysis;

/** The {@code cjk} and {@code english} analyzers: Lucene's, with {@code stopwords}(_path) and
 *  (english) {@code stem_exclusion}, as in analysis-common. */
final class Analyzers {
    private Analyzers() {}

    static final class Cjk extends AbstractIndexAnalyzerProvider<CJKAnalyzer> {
        private final CJKAnalyzer analyzer;

        Cjk(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            analyzer = new CJKAnalyzer(Analysis.parseStopWords(env, settings, CJKAnalyzer.getDefaultStopSet()));
        }

        @Override
        public CJKAnalyzer get() {
            return analyzer;
        }
    }

    static final class English extends AbstractIndexAnalyzerProvider<EnglishAnalyzer> {
        private final EnglishAnalyzer analyzer;

        English(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            analyzer = new EnglishAnalyzer(
                    Analysis.parseStopWords(env, settings, EnglishAnalyzer.getDefaultStopSet()),
                    Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET));
        }

        @Override
        public EnglishAnalyzer get() {
            return analyzer;
        }
    }
}
