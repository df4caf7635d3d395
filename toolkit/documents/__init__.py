"""The two official documents (Kế hoạch, Báo cáo), laid out as Decree 30/2020/NĐ-CP requires."""
