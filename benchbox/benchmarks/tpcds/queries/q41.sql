-- TPC-DS Q41 (Appendix B.41): distinct product names of items from a range of 41 manufacturer ids whose
-- manufacturer also makes a Women's or Men's item in one of eight given colour/unit/size combinations.
-- The kit draws 16 distinct colours, 16 distinct units and 6 distinct sizes; the SQL uses them in pairs.
-- @param MANUFACT 738 ~ uniform(667, 1000)
-- @param COLORS ['powder', 'khaki', 'brown', 'honeydew', 'floral', 'deep', 'light', 'cornflower', 'midnight', 'snow', 'cyan', 'papaya', 'orange', 'frosted', 'forest', 'ghost'] ~ sample(vocab('colors'), 16)
-- @param UNITS ['Ounce', 'Oz', 'Bunch', 'Ton', 'N/A', 'Dozen', 'Box', 'Pound', 'Pallet', 'Gross', 'Cup', 'Dram', 'Each', 'Tbl', 'Lb', 'Bundle'] ~ sample(vocab('units'), 16)
-- @param SIZES ['medium', 'extra large', 'N/A', 'small', 'petite', 'large'] ~ sample(vocab('sizes'), 6)
-- @param COLOR_PAIR_1 ['powder', 'khaki'] ~ [COLORS[0], COLORS[1]]
-- @param COLOR_PAIR_2 ['brown', 'honeydew'] ~ [COLORS[2], COLORS[3]]
-- @param COLOR_PAIR_3 ['floral', 'deep'] ~ [COLORS[4], COLORS[5]]
-- @param COLOR_PAIR_4 ['light', 'cornflower'] ~ [COLORS[6], COLORS[7]]
-- @param COLOR_PAIR_5 ['midnight', 'snow'] ~ [COLORS[8], COLORS[9]]
-- @param COLOR_PAIR_6 ['cyan', 'papaya'] ~ [COLORS[10], COLORS[11]]
-- @param COLOR_PAIR_7 ['orange', 'frosted'] ~ [COLORS[12], COLORS[13]]
-- @param COLOR_PAIR_8 ['forest', 'ghost'] ~ [COLORS[14], COLORS[15]]
-- @param UNIT_PAIR_1 ['Ounce', 'Oz'] ~ [UNITS[0], UNITS[1]]
-- @param UNIT_PAIR_2 ['Bunch', 'Ton'] ~ [UNITS[2], UNITS[3]]
-- @param UNIT_PAIR_3 ['N/A', 'Dozen'] ~ [UNITS[4], UNITS[5]]
-- @param UNIT_PAIR_4 ['Box', 'Pound'] ~ [UNITS[6], UNITS[7]]
-- @param UNIT_PAIR_5 ['Pallet', 'Gross'] ~ [UNITS[8], UNITS[9]]
-- @param UNIT_PAIR_6 ['Cup', 'Dram'] ~ [UNITS[10], UNITS[11]]
-- @param UNIT_PAIR_7 ['Each', 'Tbl'] ~ [UNITS[12], UNITS[13]]
-- @param UNIT_PAIR_8 ['Lb', 'Bundle'] ~ [UNITS[14], UNITS[15]]
-- @param SIZE_PAIR_1 ['medium', 'extra large'] ~ [SIZES[0], SIZES[1]]
-- @param SIZE_PAIR_2 ['N/A', 'small'] ~ [SIZES[2], SIZES[3]]
-- @param SIZE_PAIR_3 ['petite', 'large'] ~ [SIZES[4], SIZES[5]]
select distinct i1.i_product_name
from item i1
where i1.i_manufact_id between ${MANUFACT} and ${MANUFACT} + 40
  and exists (
        select 1
        from item i2
        where i2.i_manufact = i1.i_manufact
          and ((i2.i_category = 'Women'
                and i2.i_color in (${COLOR_PAIR_1})
                and i2.i_units in (${UNIT_PAIR_1})
                and i2.i_size in (${SIZE_PAIR_1}))
            or (i2.i_category = 'Women'
                and i2.i_color in (${COLOR_PAIR_2})
                and i2.i_units in (${UNIT_PAIR_2})
                and i2.i_size in (${SIZE_PAIR_2}))
            or (i2.i_category = 'Men'
                and i2.i_color in (${COLOR_PAIR_3})
                and i2.i_units in (${UNIT_PAIR_3})
                and i2.i_size in (${SIZE_PAIR_3}))
            or (i2.i_category = 'Men'
                and i2.i_color in (${COLOR_PAIR_4})
                and i2.i_units in (${UNIT_PAIR_4})
                and i2.i_size in (${SIZE_PAIR_1}))
            or (i2.i_category = 'Women'
                and i2.i_color in (${COLOR_PAIR_5})
                and i2.i_units in (${UNIT_PAIR_5})
                and i2.i_size in (${SIZE_PAIR_1}))
            or (i2.i_category = 'Women'
                and i2.i_color in (${COLOR_PAIR_6})
                and i2.i_units in (${UNIT_PAIR_6})
                and i2.i_size in (${SIZE_PAIR_2}))
            or (i2.i_category = 'Men'
                and i2.i_color in (${COLOR_PAIR_7})
                and i2.i_units in (${UNIT_PAIR_7})
                and i2.i_size in (${SIZE_PAIR_3}))
            or (i2.i_category = 'Men'
                and i2.i_color in (${COLOR_PAIR_8})
                and i2.i_units in (${UNIT_PAIR_8})
                and i2.i_size in (${SIZE_PAIR_1})))
    )
order by i1.i_product_name
limit 100
