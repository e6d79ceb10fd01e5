"""Generates test/metrics/golden/fidelityValues.json (issue 17: reference mode to the last digit).

Run once by hand; the tests only read the JSON. Versions used for the committed values:
  * Python 3.11 (Debian 12), nltk 3.10.3 (wheel) with the punkt_tab English parameters from
    /work/shared/reference-data/nltk_data (NLTK_DATA), jieba 0.42.1 (python3-jieba), pandas 1.5.3
    (python3-pandas; `None` added to na_values, as pandas >= 2.0 has it by default);
  * pltrdy `rouge` (rouge/rouge.py, rouge/rouge_score.py of github.com/pltrdy/rouge) on PYTHONPATH;
  * janome: not installable here (no PyPI). Japanese tokens come from janome_ipadic.py, a port of
    janome's tokenizer over the mecab-ipadic 2.7.0-20070801 source (Debian mecab-ipadic), which
    reproduces janome's own test-suite expectations; they are cross-checked against MeCab 0.996
    (`mecab -Owakati`, same dictionary) and the differences listed in `meta.mecabDifferences`
    (janome builds unknown kanji words differently from MeCab; see janome_ipadic.py).
The MedS-Bench per-row rules below are the scripts' (Metrics/*.py of MAGIC-AI4Med/MedS-Ins),
applied to the DataFrame pandas reads from a CSV written as Evaluation/eval.py writes it.

Usage: NLTK_DATA=.../nltk_data PYTHONPATH=<dir with rouge/> python3 generate_fidelity.py \
         /work/shared/data /usr/share/mecab/dic/ipadic > fidelityValues.json
"""
import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile

import jieba
import nltk
import pandas as pd
from nltk.tokenize import sent_tokenize, word_tokenize
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu
from rouge import Rouge

sys.setrecursionlimit(10000)  # as Metrics/utils.py
jieba.setLogLevel(60)
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from janome_ipadic import JanomeIpadic  # noqa: E402

DATA = sys.argv[1]
IPADIC = sys.argv[2]
janome = JanomeIpadic(IPADIC)
texts = json.load(open(os.path.join(HERE, 'fidelityTexts.json'), encoding='utf-8'))


def jsonl(p):
    with open(p, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


def h(items):
    return hashlib.sha1('\u0000'.join(items).encode('utf-8')).hexdigest()[:16]


# ------------------------------------------------------------------ sources
pqa = jsonl(f'{DATA}/medinst32/unseen_tests/PubMedQA-labeled.json')
hoc_recs = jsonl(f'{DATA}/medinst32/unseen_tests/Hallmarks-of-Cancer.json')
mq = json.load(open(f'{DATA}/meds-bench/Text_summarization/task114_meqsum_summarization.json', encoding='utf-8'))
t123 = json.load(open(f'{DATA}/meds-bench/MCQA/task123_pubmedqa_test_set.json', encoding='utf-8'))
rd = json.load(open(f'{DATA}/meds-ins/RewriteDefinitions.json', encoding='utf-8'))

# The same list, in the same order, is rebuilt by golden.fidelity.test.ts.
real_texts = [r['input'] for r in pqa] + [r['input'] for r in hoc_recs]
for i in mq['Instances']:
    real_texts += [i['input'], i['output']]
real_texts += [i['input'] for i in t123['Instances']]
for k in sorted(rd):
    real_texts.append(rd[k]['original_def'])
    real_texts += rd[k]['auto_rewrite_def'][:20]

out = {'meta': {'nltk': nltk.__version__, 'jieba': jieba.__version__, 'pandas': pd.__version__}}

# ------------------------------------------------------------------ Punkt + word_tokenize
out['punktReal'] = [[h(sent_tokenize(t)), h(word_tokenize(t))] for t in real_texts]
edge = texts['enEdge'][0] + texts['enEdge'][1] + texts['fr'][0] + texts['es'][0] + texts['ru'][0]
out['punktEdge'] = [[t, sent_tokenize(t), word_tokenize(t)] for t in edge]

# ------------------------------------------------------------------ jieba / janome
zh_all = texts['zh'][0] + texts['zh'][1] + [
    '患者服用鿏类药物后出现㐀症状。', '体温38.5℃，心率120次/分。', '使用𠀀𠀁治疗', '第一行\r\n第二行\n第三行\t结束',
    '血压 140/90 mmHg，  空腹血糖7.2%。', 'ＡＢＣ全角字母和１２３全角数字', 'C++和C#以及A&B、x_y', '鿕鿖鿗龥', '建议做B超检查。', '3a5和1.5%以及abc.12%测试',
    '\n'.join(texts['zh'][0]) * 3,
]
out['jieba'] = [[t, list(jieba.cut(t))] for t in zh_all]
ja_all = texts['ja'][0] + texts['ja'][1] + [
    ' 先頭と末尾の空白 ', 'COPDの急性増悪では、高濃度酸素による CO2 ナルコーシスを避ける。', '一二三四五と〇と々', 'ａｂｃ１２３ＡＢＣ', '改行\n\nの後\r\nも', '𠮷野屋で𝛼を',
    # janome's chunking: a lattice ends at 1000 characters, or after 500 at punctuation or a blank line
    ''.join(texts['ja'][0]) * 2, '\n\n'.join(texts['ja'][0] + texts['ja'][1]), 'あ' * 1200, 'カタカナ' * 300 + '。' + '漢字' * 400,
]
out['janome'] = [[t, janome.tokenize(t)] for t in ja_all]
diffs = []
for t, toks in out['janome']:
    mecab = subprocess.run(['mecab', '-Owakati'], input=t.replace('\n', ' '), capture_output=True, text=True).stdout.split()
    mine = [x for x in toks if x.strip()]
    if mine != mecab:
        diffs.append([t, [x for x in mine if x not in mecab], [x for x in mecab if x not in mine]])
out['meta']['mecabDifferences'] = diffs


# ------------------------------------------------------------------ Metrics/utils.py cal_similarity
def cal_similarity(response, gt, lang='en', metric='BLEU'):
    if metric == 'BLEU':
        if lang in ['en', 'spa', 'fra', 'ru']:
            r, c = word_tokenize(gt), word_tokenize(response)
        elif lang == 'zh':
            r, c = list(jieba.cut(gt)), list(jieba.cut(response))
        elif lang == 'jp':
            r, c = janome.tokenize(gt), janome.tokenize(response)
        return sentence_bleu([r], c, smoothing_function=SmoothingFunction().method1, weights=(1, 0, 0, 0))
    if lang == 'zh':
        gt, response = ' '.join(jieba.cut(gt)), ' '.join(jieba.cut(response))
    elif lang == 'jp':
        gt, response = ' '.join(janome.tokenize(gt)), ' '.join(janome.tokenize(response))
    return Rouge().get_scores(response, gt)[0]['rouge-l']['f']


# ------------------------------------------------------------------ the scripts' per-task loops
def rows(df, task):
    return [(df.iloc[i]['output'], df.iloc[i]['GT']) for i in range(len(df)) if df.iloc[i]['task_id'] == task]


def mcqa(df, task):
    def acc(pred, gt):
        pred = str(pred).lower().replace('the right answer is', '').strip()
        gt = str(gt).lower().replace('the right answer is', '').strip()
        if task in ['task123']:
            if pred[0] in 'yn' and gt[0] in 'yn':
                return 1 if pred[0] == gt[0] else 0
        elif pred[0] in 'abcd' and gt[0] in 'abcd':
            return 1 if pred[0] == gt[0] else 0
        return 0
    rs = rows(df, task)
    return {'mcqAccuracy': 100 * sum(acc(str(o), str(g)) for o, g in rs) / len(rs)}


def generation(df, task, lang='en', skip_nan=False, strip=False):
    b = r = 0
    cnt = 0
    for o, g in rows(df, task):
        if strip:
            o, g = o.strip(), g.strip()  # raises on NaN, as Rationale.py
        if (not isinstance(o, str)) or (not isinstance(g, str)):
            if skip_nan:
                continue
        if strip and (len(o) == 0 or len(g) == 0):
            continue
        b += cal_similarity(o, g, lang=lang, metric='BLEU')
        r += cal_similarity(o, g, lang=lang, metric='Rouge')
        cnt += 1
    return {'bleu1': 100 * b / cnt if cnt else 0, 'pyRougeL': 100 * r / cnt if cnt else 0}


def ner(df, task):
    tp = fp = fn = 0
    for o, g in rows(df, task):
        if not isinstance(o, str):
            continue
        g = g.replace('.', '').strip().lower()
        o = o.replace('.', '').strip().lower()
        ge = set() if g == 'there is no related enetity' else set(g[:-1].split(', '))
        oe = set() if o == 'there is no related enetity' else set(o[:-1].split(', '))
        tp += len(ge & oe)
        fp += len(oe - ge)
        fn += len(ge - oe)
    p = tp / (tp + fp) if tp + fp > 0 else 0
    rc = tp / (tp + fn) if tp + fn > 0 else 0
    f = 2 * (p * rc) / (p + rc) if p + rc > 0 else 0
    return {'nerPrecision': 100 * p, 'nerRecall': 100 * rc, 'nerF1': 100 * f}


def ie(df, task):
    rs = rows(df, task)
    norm = lambda s: str(s).lower().strip().replace('"', '').replace("'", '').replace('\n', '')  # noqa: E731
    return {'ieAccuracy': 100 * sum(1 for o, g in rs if norm(g) in norm(o)) / len(rs)}


def outcome(df, task):
    right = 0
    rs = rows(df, task)
    for o, g in rs:
        o, g = str(o).lower().strip(), str(g).lower().strip()
        if g == 'true' and 'true' in o and 'false' not in o:
            right += 1
        elif g == 'false' and 'false' in o and 'true' not in o:
            right += 1
    return {'outcomeAccuracy': 100 * right / len(rs)}


def nli(df, task):
    rs = rows(df, task)
    return {'nliAccuracy': 100 * sum(1 for o, g in rs if str(g).replace('.', '').strip().lower() in str(o).lower().strip()) / len(rs)}


def diagnosis(df, task):
    rs = rows(df, task)
    return {'diagnosisAccuracy': 100 * sum(1 for o, g in rs if g.replace('.', '').replace('The diagnosis result is', '').strip().lower() in o.lower()) / len(rs)}


def treatment(df, task):
    rs = rows(df, task)
    return {'treatmentAccuracy': 100 * sum(1 for o, g in rs if g.replace('.', '').replace('The treatment planning is:', '').strip().lower() in o.lower()) / len(rs)}


def fact(df, task):
    rs = rows(df, task)
    return {'factAccuracy': 100 * sum(1 for o, g in rs if g.replace('.', '').strip().lower() in o.split('\n')[0].strip().lower()) / len(rs)}


def fact_gen(df, task):
    b = r = n = 0
    for o, g in rows(df, task):
        g = g.replace('.', '').strip().lower()
        o = o.strip().lower()
        n += 1
        if len(o) != 0:
            b += cal_similarity(o, g, 'en', 'BLEU')
            r += cal_similarity(o, g, 'en', 'Rouge')
    return {'bleu1': 100 * b / n if n else 0, 'pyRougeL': 100 * r / n if n else 0}


def hoc(df, task):
    from sklearn.metrics import f1_score, precision_score, recall_score
    from sklearn.preprocessing import MultiLabelBinarizer
    classes = ['sustaining proliferative signaling', 'evading growth suppressors', 'resisting cell death',
               'enabling replicative immortality', 'inducing angiogenesis', 'activating invasion and metastasis',
               'genomic instability and mutation', 'tumor promoting inflammation', 'cellular energetics',
               'avoiding immune destruction']
    yt, yp = [], []
    for o, g in rows(df, task):
        o, g = str(o).lower().strip(), str(g).lower().strip()
        yp.append([c for c in classes if c in o])
        yt.append([c for c in classes if c in g])
    mlb = MultiLabelBinarizer(classes=classes)
    t, p = mlb.fit_transform(yt), mlb.transform(yp)
    return {'hocPrecision': 100 * precision_score(t, p, average='macro', zero_division=0),
            'hocRecall': 100 * recall_score(t, p, average='macro', zero_division=0),
            'hocF1': 100 * f1_score(t, p, average='macro', zero_division=0)}


# ------------------------------------------------------------------ the CSV
# A cell is a literal string or a reference into the shared data: {"src", "i", "field", "op"} with
# op in gold | firstHalf (first half of the words, split on ' ') | wrap ('The answer is: ' + text).
def resolve(cell):
    if isinstance(cell, str):
        return cell
    src = {'pqa': pqa, 'task114': mq['Instances'], 'task123': t123['Instances']}[cell['src']]
    v = src[cell['i']][cell['field']]
    if isinstance(v, list):
        v = v[0]
    op = cell.get('op', 'gold')
    if op == 'firstHalf':
        w = v.split(' ')
        return ' '.join(w[:len(w) // 2])
    if op == 'wrap':
        return 'The answer is: ' + v
    return v


spec = []  # [task_id, gt cell, output cell]
NA = ['', 'NA', 'N/A', 'None', 'null', 'NaN', 'nan', 'n/a', '#N/A', '<NA>', 'NULL']
for i in range(500):
    g = {'src': 'task123', 'i': i, 'field': 'output'}
    o = [g, 'The right answer is no', NA[i % len(NA)], 'maybe', 'Yes, because the context says so.'][i % 5]
    spec.append(['task123', g, o])
for k, (o, g) in enumerate([['The right answer is A.', 'The right answer is A'], ['b', 'The right answer is C'], ['', 'The right answer is B'],
                            ['N/A', 'The right answer is A'], ['None', 'd'], ['𝛼', 'a'], ['D) ok', 'The right answer is D'], ['nan', 'c']]):
    spec.append(['task4', g, o])
for i in range(60):
    spec.append(['task114', {'src': 'task114', 'i': i, 'field': 'output'},
                 [{'src': 'task114', 'i': i, 'field': 'output'}, {'src': 'task114', 'i': i, 'field': 'input'},
                  {'src': 'task114', 'i': i, 'field': 'output', 'op': 'firstHalf'}][i % 3]])
for i in range(40):
    g = {'src': 'pqa', 'i': i, 'field': 'input'}
    spec.append(['task18', g, [{'src': 'pqa', 'i': i, 'field': 'input', 'op': 'firstHalf'}, g, '', 'N/A', 'null', 'A short answer.'][i % 6]])
spec.append(['task18', '', 'An answer to nothing.'])
for lang_key, task in [('zh', 'task51'), ('ja', 'task54'), ('fr', 'task53'), ('es', 'task56'), ('ru', 'task55'), ('enEdge', 'task52')]:
    for g, o in zip(*texts[lang_key]):
        spec.append([task, g, o])
    spec.append([task, texts[lang_key][0][0], '   '])
for i in range(20):
    spec.append(['task52', {'src': 'pqa', 'i': i, 'field': 'input'}, {'src': 'pqa', 'i': i, 'field': 'input', 'op': 'firstHalf'}])
for o, g in [['aspirin, ibuprofen.', 'aspirin, ibuprofen.'], ['There is no related enetity.', 'There is no related enetity.'],
             ['benzene', 'toluene.'], ['a, b, c.', 'a, c.'], ['x.', 'There is no related enetity.'],
             ['vitamin 𝛼, 𝛽-carotene', 'vitamin 𝛼, 𝛽-carotene.'], ['𝛼-tocopherol, 𝛾', '𝛼-tocopherol, 𝛾.'], ['', 'aspirin.'], ['NA', 'heparin.'], ['None', 'There is no related enetity.']]:
    spec.append(['task125', g, o])
for o, g in [['The dose is "5 mg"\n', "5 mg"], ['financial data', ''], ['', 'warfarin'], ['Warfarin 5 mg daily', 'warfarin 5 mg'], ['nan', 'NA'], ['𝛼-blocker', '𝛼-blocker']]:
    spec.append(['task1', g, o])
for o, g in [['True', 'true'], ['false, not true', 'false'], ['', 'false'], ['N/A', 'true'], ['FALSE.', 'False']]:
    spec.append(['task117', g, o])
for o, g in [['Sustaining proliferative signaling and resisting cell death', 'sustaining proliferative signaling'], ['inducing angiogenesis', 'inducing angiogenesis, avoiding immune destruction'],
             ['', 'resisting cell death'], ['cellular energetics', 'NA'], ['None', 'genomic instability and mutation']]:
    spec.append(['task106', g, o])
for o, g in [['Entailment.', 'entailment'], ['', 'contradiction.'], ['neutral', 'Neutral.'], ['NA', 'nan']]:
    spec.append(['task41', g, o])
for o, g in [['The premise implies the hypothesis. Therefore, entailment.', 'The hypothesis follows from the premise.'], ['No.', 'Contradiction: the drug was not given.']]:
    spec.append(['task42', g, o])
for o, g in [['URTI is likely', 'The diagnosis result is URTI.'], ['Pneumonia.', 'The diagnosis result is bronchitis.']]:
    spec.append(['DDXPlus', g, o])
for o, g in [['Surgery and radiation', 'The treatment planning is: surgery.'], ['watchful waiting', 'The treatment planning is: chemotherapy.']]:
    spec.append(['task131', g, o])
for o, g in [['Supported\nbecause the trial says so', 'supported.'], ['refuted', 'Supported.']]:
    spec.append(['task12', g, o])
for o, g in [['The claim is supported by the abstract.', 'The claim is supported. See the results.'], ['   ', 'Refuted.']]:
    spec.append(['task100', g, o])

buf = io.StringIO()
w = csv.writer(buf, lineterminator='\r\n')
w.writerow(['task_id', 'input', 'GT', 'output'])
for task, g, o in spec:
    w.writerow([task, 'prompt', resolve(g), resolve(o)])
with tempfile.NamedTemporaryFile('w', suffix='.csv', delete=False, encoding='utf-8', newline='') as f:
    f.write(buf.getvalue())
df = pd.read_csv(f.name, na_values=['None'])
os.unlink(f.name)

LANG = {'task51': 'zh', 'task52': 'en', 'task53': 'fra', 'task54': 'jp', 'task55': 'ru', 'task56': 'spa'}
expected = {
    'task123': mcqa(df, 'task123'), 'task4': mcqa(df, 'task4'), 'task114': generation(df, 'task114'),
    'task18': generation(df, 'task18', skip_nan=True), 'task125': ner(df, 'task125'), 'task1': ie(df, 'task1'),
    'task117': outcome(df, 'task117'), 'task106': hoc(df, 'task106'), 'task41': nli(df, 'task41'),
    'task42': generation(df, 'task42'), 'DDXPlus': diagnosis(df, 'DDXPlus'), 'task131': treatment(df, 'task131'),
    'task12': fact(df, 'task12'), 'task100': fact_gen(df, 'task100'),
}
for task, lang in LANG.items():
    expected[task] = generation(df, task, lang=lang, strip=True)
out['csv'] = {'rows': spec, 'expected': expected}

json.dump(out, sys.stdout, ensure_ascii=False, indent=0)
