-- TPC-DS Q98 (Appendix B.98): store revenue per item of three categories over a 30-day period, with
-- each item's share of its class's revenue.
-- @param YEAR 1999 ~ uniform(1998, 2002)
-- @param SDATE '1999-02-22' ~ day(f'{YEAR}-01-01', f'{YEAR}-07-01')
-- @param CATEGORY ['Sports', 'Books', 'Home'] ~ sample(vocab('categories'), 3)
select
    i_item_id,
    i_item_desc,
    i_category,
    i_class,
    i_current_price,
    sum(ss_ext_sales_price) as itemrevenue,
    sum(ss_ext_sales_price) * 100 / sum(sum(ss_ext_sales_price)) over (partition by i_class) as revenueratio
from store_sales, item, date_dim
where ss_item_sk = i_item_sk
  and i_category in (${CATEGORY})
  and ss_sold_date_sk = d_date_sk
  and d_date between date '${SDATE}' and date '${SDATE}' + interval '30' day
group by i_item_id, i_item_desc, i_category, i_class, i_current_price
order by i_category, i_class, i_item_id, i_item_desc, revenueratio
