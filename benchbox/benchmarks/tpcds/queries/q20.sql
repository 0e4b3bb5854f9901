-- TPC-DS Q20 (Appendix B.20): catalog revenue of each item of three categories over 30 days, and
-- its share of the revenue of the item's class.
-- @param YEAR 1999 ~ uniform(1998, 2002)
-- @param SDATE '1999-02-22' ~ day(f'{YEAR}-01-01', f'{YEAR}-07-01')
-- @param CATEGORY ['Sports', 'Books', 'Home'] ~ sample(vocab('categories'), 3)
select
    i_item_id,
    i_item_desc,
    i_category,
    i_class,
    i_current_price,
    sum(cs_ext_sales_price) as itemrevenue,
    sum(cs_ext_sales_price) * 100 / sum(sum(cs_ext_sales_price)) over (partition by i_class) as revenueratio
from catalog_sales, item, date_dim
where i_item_sk = cs_item_sk
  and i_category in (${CATEGORY})
  and d_date_sk = cs_sold_date_sk
  and d_date between date '${SDATE}' and date '${SDATE}' + interval '30' day
group by i_item_id, i_item_desc, i_category, i_class, i_current_price
order by i_category, i_class, i_item_id, i_item_desc, revenueratio
limit 100
