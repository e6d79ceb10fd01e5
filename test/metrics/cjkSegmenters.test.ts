/**
 * Chinese and Japanese segmentation as MedS-Bench's utils.py does it (jieba 0.42.1,
 * janome with mecab-ipadic), and the zh/ja rationale scores that depend on it.
 * Token lists and scores from the Python references are in golden/fidelityValues.json
 * (golden.fidelity.test.ts); here: the segmenters' documented behaviour and the
 * regression of issue 17 (ROUGE-L on unsegmented text).
 */
import { describe, expect, it } from 'vitest';
import { jiebaCut, janomeTokenize, scoreTask, cjkTokenize } from '../../src/core/metrics';

describe('jieba.cut port', () => {
  it('keeps characters outside jieba 0.42.1 re_han_default (U+9FD6.., Ext B) as single tokens', () => {
    // jieba 0.42.1: ["使用", "𠀀", "𠀁", "治疗"] and ["鿕", "鿖", "鿗", "龥"]; the Rust port alone groups them
    expect(jiebaCut('使用𠀀𠀁治疗')).toEqual(['使用', '𠀀', '𠀁', '治疗']);
    expect(jiebaCut('鿕鿖鿗龥')).toEqual(['鿕', '鿖', '鿗', '龥']);
  });
  it('yields whitespace pieces and \\r\\n whole, other non-Han characters one by one', () => {
    // jieba 0.42.1's outputs
    expect(jiebaCut('第一行\r\n第二行')).toEqual(['第一行', '\r\n', '第二行']);
    expect(jiebaCut('患者😀表情')).toEqual(['患者', '😀', '表情']);
    expect(jiebaCut('a  b')).toEqual(['a', ' ', ' ', 'b']);
  });
});

describe('janome port', () => {
  // expectations of janome's own test suite (tests/test_tokenizer.py)
  it.each([
    ['すもももももももものうち', ['すもも', 'も', 'もも', 'も', 'もも', 'の', 'うち']],
    ['𠮷野屋', ['𠮷', '野', '屋']],
    ['한국어', ['한국어']],
    ['2009年10月16日', ['2009', '年', '10', '月', '16', '日']],
    ['マルチメディア放送（VHF-HIGH帯）「モバキャス」', ['マルチメディア', '放送', '（', 'VHF', '-', 'HIGH', '帯', '）', '「', 'モバキャス', '」']],
  ])('%s', (text, want) => {
    expect(janomeTokenize(text)).toEqual(want);
  });
  it('strips the text and keeps inner whitespace as tokens, as janome surfaces do', () => {
    expect(janomeTokenize('  CO2 ナルコーシス\n')).toEqual(['CO', '2', ' ', 'ナルコーシス']);
  });
  it("has janome's one dictionary addition (令和)", () => {
    expect(janomeTokenize('令和元年')).toEqual(['令和', '元年']);
  });
});

describe('issue 17 regression: zh/ja ROUGE-L is computed on segmented text', () => {
  const zh = [
    '根据患者的症状和体征，最可能的诊断是急性心肌梗死。患者胸痛持续超过30分钟，含服硝酸甘油不能缓解。因此答案是B。',
    '甲状腺功能亢进症的患者常表现为心悸、多汗、体重下降和手抖。实验室检查可见T3、T4升高，TSH降低。',
  ];
  const zhPred = [
    '患者的症状提示急性心肌梗死。胸痛超过30分钟，硝酸甘油不能缓解，所以选B。',
    '甲亢患者表现为心悸、多汗和体重下降。检查可见T3、T4升高，TSH降低。',
  ];
  const ja = [
    '患者の症状と所見から、最も考えられる診断は急性心筋梗塞である。胸痛が30分以上持続し、ニトログリセリンで改善しない。したがって正解はBである。',
    '甲状腺機能亢進症の患者は動悸、発汗、体重減少を呈することが多い。検査ではT3とT4の上昇、TSHの低下を認める。',
  ];
  const jaPred = [
    '症状から急性心筋梗塞が考えられる。胸痛が30分以上続き、ニトログリセリンで改善しないため、正解はBである。',
    '甲状腺機能亢進症では動悸や発汗、体重減少がみられる。検査でT3とT4が上昇し、TSHは低下する。',
  ];
  it('task51 (zh) and task54 (ja) score tens of points on paraphrases, not ~0', () => {
    const z = scoreTask('meds-bench', 'task51', zhPred, zh);
    const j = scoreTask('meds-bench', 'task54', jaPred, ja);
    expect(z.pyRougeL!).toBeGreaterThan(25);
    expect(j.pyRougeL!).toBeGreaterThan(25);
    expect(z.bleu1!).toBeGreaterThan(25);
    expect(j.bleu1!).toBeGreaterThan(25);
    // identical texts score 100 once segmented
    expect(scoreTask('meds-bench', 'task54', ja, ja).pyRougeL!).toBeCloseTo(100, 5);
    expect(cjkTokenize(ja[0]!, 'ja').join('')).toBe(ja[0]);
  });
});
