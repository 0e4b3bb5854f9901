-- TPC-DS Q92 (Appendix B.92): total web discount over a 90-day period on items of a given manufacturer,
-- counting only sales whose discount exceeds 1.3 times the item's average discount in that period.
-- @param IMID 350 ~ uniform(1, 1000)
-- @param YEAR 2000 ~ uniform(1998, 2002)
-- @param WSDATE '2000-01-27' ~ day(f'{YEAR}-01-01', f'{YEAR}-04-01')
with period_sales as (
    select ws_item_sk, ws_ext_discount_amt
    from web_sales, date_dim
    where d_date_sk = ws_sold_date_sk
      and d_date between date '${WSDATE}' and date '${WSDATE}' + interval '90' day
),
item_average as (
    select ws_item_sk as item_sk, 1.3 * avg(ws_ext_discount_amt) as threshold
    from period_sales
    group by ws_item_sk
)
select sum(ps.ws_ext_discount_amt) as excess_discount_amount
from period_sales ps, item, item_average ia
where i_manufact_id = ${IMID}
  and i_item_sk = ps.ws_item_sk
  and ia.item_sk = ps.ws_item_sk
  and ps.ws_ext_discount_amt > ia.threshold
order by sum(ps.ws_ext_discount_amt)
limit 100
